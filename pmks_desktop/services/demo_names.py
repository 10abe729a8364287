"""Name parts for generated demo records: common given names in Banten and West Java."""

MALE = ("Ahmad", "Muhammad", "Asep", "Ujang", "Dede", "Agus", "Budi", "Dadang", "Eko", "Endang",
        "Hendra", "Iwan", "Jajang", "Komarudin", "Rudi", "Saepul", "Tatang", "Wawan", "Yayan",
        "Rizki", "Fajar", "Hasan", "Ilham", "Maman", "Nanang", "Oman", "Rohmat", "Sukri",
        "Syahrul", "Usep", "Abdul", "Aris", "Deden", "Eman", "Firman", "Gugun", "Herman")
FEMALE = ("Siti", "Nur", "Euis", "Neneng", "Enok", "Iis", "Yeni", "Dewi", "Sri", "Rina", "Ani",
          "Aminah", "Fatimah", "Imas", "Lilis", "Mulyati", "Nani", "Oom", "Popon", "Ratna",
          "Rohayati", "Sarah", "Titin", "Umi", "Wati", "Yuyun", "Aisyah", "Cucu", "Dini",
          "Eti", "Hasanah", "Komariah", "Nurhayati", "Rosidah", "Sumiati", "Tuti")
# Second names are gendered too ("Herlina" is a woman's name): pick from the matching list.
SECOND_MALE = ("Hidayat", "Saputra", "Kurniawan", "Hermawan", "Setiawan", "Maulana",
               "Sulaeman", "Rohman", "Supriatna", "Ramdani", "Fauzi", "Sopian", "Mulyana",
               "Jaelani", "Hamdani", "Kusnadi", "Suhendi", "Wahyudi", "Zakaria", "Hakim",
               "Syarifudin", "Firmansyah", "Gunawan")
SECOND_FEMALE = ("Rahmawati", "Suryani", "Nurjanah", "Rosita", "Safitri", "Marlina", "Herlina",
                 "Maryam", "Kartika", "Handayani", "Lestari", "Permatasari", "Wulandari",
                 "Yuliani", "Fitriani", "Sulastri", "Nurlaela", "Anggraeni", "Solihah")
PLACES = ("Serang", "Cilegon", "Pandeglang", "Lebak", "Tangerang", "Jakarta", "Bandung",
          "Lampung", "Bogor", "Karawang")
STREETS = ("Kp.", "Jl.", "Link.", "Perum", "Gg.")
# Synthetic desa names for a demo without a region file (the office is labelled as demo data).
DEMO_DESA = ("Sukamaju", "Mekarsari", "Sukajaya", "Cibodas", "Margasari", "Tegalsari",
             "Sindangsari", "Karangsari", "Pasirjaya", "Sukamanah", "Cikande", "Citeureup")
