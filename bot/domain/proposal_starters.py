"""Built-in proposal templates for the common micro-gig skills, in Indonesian and English:
short, specific to the gig, ending with a question about the brief (what wins replies on
projects.co.id, Fastwork and Freelancer)."""

from __future__ import annotations

GENERIC = {
    "id": (
        'Halo {client}, saya {name}. Saya tertarik dengan "{title}" dan sudah biasa '
        "mengerjakan {skill}. Dengan anggaran {budget}, saya bisa menyelesaikannya dalam "
        "{days}.\n{portfolio}\nBoleh saya tahu hasil akhir seperti apa yang Anda harapkan?"
    ),
    "en": (
        'Hi {client}, I\'m {name}. Your project "{title}" fits what I do every week: '
        "{skill}. Within {budget} I can deliver in {days}.\n{portfolio}\n"
        "What does a great result look like for you?"
    ),
}

STARTERS: dict[str, dict[str, str]] = {
    "article_writing": {
        "id": (
            'Halo {client}, saya {name}, penulis artikel SEO. Untuk "{title}" saya bisa '
            "mengirim artikel orisinal, bebas plagiat, dengan struktur judul yang rapi dalam "
            "{days} (anggaran {budget}).\n{portfolio}\n"
            "Apakah sudah ada kata kunci dan jumlah kata per artikel?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, an SEO article writer. For "{title}" I can deliver '
            "original, plagiarism-free articles with clean headings in {days} (budget "
            "{budget}).\n{portfolio}\nDo you already have the keywords and word count per "
            "article?"
        ),
    },
    "logo_design": {
        "id": (
            'Halo {client}, saya {name}, desainer logo. Untuk "{title}" saya kirim 3 konsep '
            "awal, revisi sampai cocok, dan file akhir PNG, SVG, PDF dalam {days} (anggaran "
            "{budget}).\n{portfolio}\nBoleh tahu nama brand, warna, dan logo yang Anda suka?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a logo designer. For "{title}" I send 3 first concepts, '
            "revise until it fits, and hand over PNG, SVG and PDF files in {days} (budget "
            "{budget}).\n{portfolio}\nWhat is the brand name, and which colours or logos do "
            "you like?"
        ),
    },
    "graphic_design": {
        "id": (
            'Halo {client}, saya {name}, desainer grafis. "{title}" bisa saya kerjakan dalam '
            "{days} dengan anggaran {budget}, termasuk revisi.\n{portfolio}\n"
            "Ukuran dan format akhirnya untuk cetak atau media sosial?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a graphic designer. I can do "{title}" in {days} '
            "within {budget}, revisions included.\n{portfolio}\n"
            "Is the final size and format for print or social media?"
        ),
    },
    "data_entry": {
        "id": (
            'Halo {client}, saya {name}. Untuk "{title}" saya input data dengan teliti, '
            "dicek dua kali, dan kirim dalam {days} (anggaran {budget}).\n{portfolio}\n"
            "Kira-kira berapa baris datanya, dan dari format apa ke format apa?"
        ),
        "en": (
            'Hi {client}, I\'m {name}. For "{title}" I enter data carefully, double-check it '
            "and deliver in {days} (budget {budget}).\n{portfolio}\n"
            "Roughly how many rows, and from which format into which?"
        ),
    },
    "translation": {
        "id": (
            'Halo {client}, saya {name}, penerjemah. "{title}" bisa saya terjemahkan dengan '
            "bahasa yang alami, bukan terjemahan mesin, dalam {days} (anggaran {budget}).\n"
            "{portfolio}\nBerapa jumlah kata dan untuk pembaca siapa terjemahannya?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a translator. I can translate "{title}" into natural '
            "language, not machine output, in {days} (budget {budget}).\n{portfolio}\n"
            "How many words, and who will read the translation?"
        ),
    },
    "video_editing": {
        "id": (
            'Halo {client}, saya {name}, editor video. Untuk "{title}" saya rapikan potongan, '
            "warna, teks, dan musik, jadi dalam {days} (anggaran {budget}).\n{portfolio}\n"
            "Berapa durasi akhirnya dan untuk platform apa (Reels, TikTok, YouTube)?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a video editor. For "{title}" I handle cuts, colour, '
            "captions and music, ready in {days} (budget {budget}).\n{portfolio}\n"
            "How long is the final video, and for which platform (Reels, TikTok, YouTube)?"
        ),
    },
    "copywriting": {
        "id": (
            'Halo {client}, saya {name}, copywriter. Untuk "{title}" saya tulis teks yang '
            "menjual dan sesuai gaya brand Anda dalam {days} (anggaran {budget}).\n{portfolio}\n"
            "Siapa target pembelinya dan apa yang paling ingin Anda tonjolkan?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a copywriter. For "{title}" I write copy that sells, in '
            "your brand's voice, in {days} (budget {budget}).\n{portfolio}\n"
            "Who is the buyer, and what should stand out most?"
        ),
    },
    "social_media_admin": {
        "id": (
            'Halo {client}, saya {name}, admin media sosial. Untuk "{title}" saya bisa '
            "mengatur jadwal posting, caption, dan balas komentar, mulai dalam {days} (anggaran "
            "{budget}).\n{portfolio}\nAkun mana saja dan berapa posting per minggu?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a social media admin. For "{title}" I plan posts, write '
            "captions and answer comments, starting within {days} (budget {budget}).\n"
            "{portfolio}\nWhich accounts, and how many posts a week?"
        ),
    },
    "transcription": {
        "id": (
            'Halo {client}, saya {name}. Untuk "{title}" saya transkrip dengan teliti, lengkap '
            "dengan nama pembicara, dalam {days} (anggaran {budget}).\n{portfolio}\n"
            "Berapa menit rekamannya dan apakah perlu timestamp?"
        ),
        "en": (
            'Hi {client}, I\'m {name}. For "{title}" I transcribe accurately, with speaker '
            "names, in {days} (budget {budget}).\n{portfolio}\n"
            "How many minutes of audio, and do you need timestamps?"
        ),
    },
    "web_development": {
        "id": (
            'Halo {client}, saya {name}, web developer. "{title}" bisa saya kerjakan dalam '
            "{days} dengan anggaran {budget}, termasuk uji coba di HP.\n{portfolio}\n"
            "Sudah ada desain atau contoh situs yang Anda suka?"
        ),
        "en": (
            'Hi {client}, I\'m {name}, a web developer. I can build "{title}" in {days} within '
            "{budget}, tested on phones too.\n{portfolio}\n"
            "Do you have a design or a site you like as an example?"
        ),
    },
}
