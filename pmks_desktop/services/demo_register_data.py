"""Word lists and volumes for the register demo: realistic names, goods, events, complaints."""
from __future__ import annotations

# Upper bounds at any number of persons. Each service save takes 4-12 ms, so at 100,000
# persons these add about 35 s (45 s on a busy machine) on the 2-core development PC.
CAPS = {"household": 2500, "fakir_miskin": 1250, "kpm": 1250, "rtlh": 300, "kube": 40,
        "uep": 40, "kegiatan": 30, "lk3": 150, "slrt": 300, "psks": 80}

# How each count reads in the demo summary: (label, unit).
SUMMARY = (("household", "Keluarga (KK)", "keluarga"), ("fakir_miskin", "Fakir miskin", "keluarga"),
           ("kpm", "KPM Sembako", "KPM"), ("rtlh", "RS-RTLH", "rumah divalidasi"),
           ("kube", "KUBE", "kelompok"), ("uep", "UEP", "kelompok"),
           ("bencana", "Kejadian bencana", "kejadian"), ("korban_bencana", "Korban bencana",
                                                         "korban"),
           ("bantuan_bencana", "Bantuan bencana", "penyerahan"),
           ("kegiatan", "Kegiatan pemberdayaan", "kegiatan"), ("lk3", "Kasus LK3", "kasus"),
           ("slrt", "SLRT", "pengaduan"), ("psks", "PSKS", "entri"),
           ("kat", "KAT", "komunitas"))

LABELS = {key: label for key, label, _unit in SUMMARY}

KAMPUNG = ("Pabuaran", "Cikuya", "Kebon Kelapa", "Tegal Bunder", "Pasir Gadung", "Kubang Laban",
           "Bojong", "Cilampang", "Sumur Bandung", "Kadu Genep", "Tanjung Sari", "Pesisir",
           "Cibeber", "Sawah Luhur", "Cikoneng", "Karang Anyar", "Pematang", "Leuwi Kopo",
           "Gardu Tanjak", "Kebon Jeruk", "Cigintung", "Babakan", "Cilaban", "Pasir Ipis")
MOSQUES = ("Al-Ikhlas", "Nurul Huda", "Al-Hidayah", "Baitul Makmur", "At-Taqwa", "Al-Muhajirin",
           "Nurul Iman", "Al-Falah")
GROUP_WORDS_1 = ("Mekar", "Sinar", "Maju", "Berkah", "Karya", "Sumber", "Tunas", "Bina",
                 "Harapan", "Rukun", "Mitra", "Barokah", "Cahaya", "Saluyu", "Silih Asih")
GROUP_WORDS_2 = ("Jaya", "Mandiri", "Sejahtera", "Bersama", "Makmur", "Abadi", "Lestari",
                 "Rezeki", "Usaha", "Sentosa", "Utama")
YOUTH = ("Tunas Harapan", "Bina Remaja", "Putra Bangsa", "Karya Muda", "Satria Muda",
         "Mekar Jaya", "Generasi Emas", "Bakti Pemuda")
FLOWERS = ("Melati", "Mawar", "Anggrek", "Kenanga", "Cempaka", "Dahlia", "Flamboyan", "Teratai",
           "Seruni", "Kemuning", "Sedap Malam", "Kamboja", "Tanjung", "Wijaya Kusuma")
ROMAN = ("", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")
BANKS = (("Bank BRI", 15), ("Bank BNI", 10), ("Bank Mandiri", 13), ("Bank BJB", 13))
KKS_PREFIXES = ("526422", "601301", "603298")  # BNI, BRI, Mandiri card ranges

# KUBE goods by business type: (item, quantity, unit price); the last row takes the remainder,
# so the goods always add up to the aid value of the setting.
KUBE_GOODS = {
    "ternak_kambing": (("Kambing betina siap kawin", 16, 850_000, "ekor"),
                       ("Kambing pejantan unggul", 2, 1_500_000, "ekor"),
                       ("Bahan kandang panggung (kayu dan seng)", 1, 2_500_000, "paket"),
                       ("Pakan konsentrat dan obat-obatan ternak", 1, 0, "paket")),
    "ternak_unggas": (("Bibit ayam kampung super umur 1 bulan", 400, 18_000, "ekor"),
                      ("Kandang koloni ayam", 4, 1_200_000, "unit"),
                      ("Tempat pakan dan minum otomatis", 20, 45_000, "buah"),
                      ("Pakan ayam (karung 50 kg)", 20, 380_000, "karung"),
                      ("Vitamin, vaksin dan obat unggas", 1, 0, "paket")),
    "warung_sembako": (("Etalase kaca aluminium", 2, 2_200_000, "unit"),
                       ("Rak besi susun", 4, 750_000, "unit"),
                       ("Beras medium (karung 25 kg)", 20, 325_000, "karung"),
                       ("Minyak goreng (dus 12 liter)", 12, 210_000, "dus"),
                       ("Gula pasir (karung 50 kg)", 3, 850_000, "karung"),
                       ("Timbangan duduk 150 kg", 1, 650_000, "unit"),
                       ("Barang dagangan kelontong lainnya", 1, 0, "paket")),
    "budidaya_ikan": (("Kolam terpal bulat diameter 3 meter", 6, 1_100_000, "unit"),
                      ("Benih ikan lele ukuran 7-9 cm", 10_000, 250, "ekor"),
                      ("Pakan ikan apung (karung 30 kg)", 20, 340_000, "karung"),
                      ("Pompa air dan instalasi aerator", 2, 950_000, "set"),
                      ("Perlengkapan panen dan obat ikan", 1, 0, "paket")),
    "makanan_olahan": (("Oven gas 2 rak", 2, 2_800_000, "unit"),
                       ("Mixer roti 5 liter", 2, 1_750_000, "unit"),
                       ("Kompor gas 2 tungku", 2, 450_000, "unit"),
                       ("Freezer box 200 liter", 1, 3_200_000, "unit"),
                       ("Mesin press plastik kemasan", 1, 850_000, "unit"),
                       ("Bahan baku dan kemasan produk", 1, 0, "paket")),
    "konveksi": (("Mesin jahit high speed", 5, 2_400_000, "unit"),
                 ("Mesin obras benang 4", 2, 2_900_000, "unit"),
                 ("Meja potong kain", 2, 750_000, "unit"),
                 ("Kain katun", 10, 450_000, "gulung"),
                 ("Benang, kancing dan perlengkapan jahit", 1, 0, "paket")),
    "pertanian": (("Hand traktor", 1, 9_500_000, "unit"),
                  ("Pompa air irigasi 3 inci", 2, 2_300_000, "unit"),
                  ("Sprayer elektrik 16 liter", 4, 650_000, "unit"),
                  ("Pupuk NPK (karung 50 kg)", 10, 450_000, "karung"),
                  ("Benih cabai dan sayuran serta pestisida nabati", 1, 0, "paket")),
}
UEP_GOODS = {
    "warung": (("Etalase kaca kecil", 1, 850_000), ("Rak dagangan", 1, 450_000, "unit"),
               ("Paket barang dagangan sembako", 1, 0, "paket")),
    "makanan_olahan": (("Kompor gas 2 tungku", 1, 450_000), ("Tabung gas 3 kg berisi", 2, 190_000),
                       ("Oven tangkring", 1, 350_000), ("Mixer tangan", 1, 400_000),
                       ("Loyang dan cetakan kue", 1, 250_000, "set"),
                       ("Bahan baku kue", 1, 0, "paket")),
    "warung_makan": (("Kompor gas 2 tungku", 1, 450_000), ("Tabung gas 3 kg berisi", 2, 190_000),
                     ("Panci dan wajan set", 1, 550_000, "set"), ("Gerobak etalase", 1, 1_200_000),
                     ("Perlengkapan makan dan bahan masakan", 1, 0, "paket")),
    "menjahit": (("Mesin jahit portable", 1, 1_850_000), ("Gunting kain dan meteran", 1, 150_000,
                                                          "set"),
                 ("Kain dan benang", 1, 0, "paket")),
    "ternak_unggas": (("Bibit itik petelur", 25, 45_000, "ekor"),
                      ("Bahan kandang", 1, 650_000, "paket"), ("Pakan itik", 1, 0, "paket")),
}

EVENT_PLANS = (  # kind, sub_kind, name pattern, statuses (weights), house damage, urgent needs
    ("alam", "banjir", "Banjir Kampung {k}", {"mengungsi": 35, "terdampak": 50, "luka_ringan": 12,
                                               "hilang": 1, "meninggal": 2},
     ("ringan", "sedang", "berat"), ("pangan", "air_bersih", "selimut_tikar", "obat")),
    ("sosial", "tawuran", "Tawuran Antarkampung {k}", {"luka_ringan": 55, "luka_berat": 15,
                                                       "terdampak": 28, "meninggal": 2},
     ("tidak_rusak", "ringan"), ("obat",)),
    ("non_alam", "kebakaran", "Kebakaran Permukiman Kampung {k}",
     {"mengungsi": 45, "terdampak": 40, "luka_ringan": 10, "luka_berat": 4, "meninggal": 1},
     ("sedang", "berat"), ("pakaian", "selimut_tikar", "hunian_sementara", "pangan")),
    ("alam", "puting_beliung", "Angin Puting Beliung Kampung {k}",
     {"terdampak": 70, "mengungsi": 15, "luka_ringan": 13, "luka_berat": 2},
     ("ringan", "sedang", "berat"), ("hunian_sementara", "pangan")),
    ("non_alam", "wabah_penyakit", "Wabah Demam Berdarah Dengue Kampung {k}",
     {"terdampak": 85, "luka_berat": 12, "meninggal": 3}, (), ("obat", "air_bersih")),
    ("alam", "tanah_longsor", "Tanah Longsor Kampung {k}",
     {"mengungsi": 50, "terdampak": 35, "luka_ringan": 10, "luka_berat": 3, "hilang": 1,
      "meninggal": 1}, ("sedang", "berat"), ("hunian_sementara", "pangan", "selimut_tikar")),
    ("sosial", "konflik_sosial", "Konflik Sengketa Lahan Kampung {k}",
     {"terdampak": 80, "mengungsi": 12, "luka_ringan": 8}, ("tidak_rusak", "ringan"),
     ("pangan",)),
)
VICTIM_PMKS = {"alam": "21", "sosial": "22", "non_alam": "L1"}
CHRONOLOGY = {
    "banjir": "Hujan deras sejak sore hari menyebabkan sungai meluap pada dini hari; air masuk "
              "ke permukiman setinggi 50-120 cm. Warga dievakuasi oleh BPBD, Tagana dan aparat "
              "desa ke tempat pengungsian.",
    "tawuran": "Bentrokan antarpemuda dua kampung setelah pertandingan sepak bola antarkampung. "
               "Aparat kepolisian dan tokoh masyarakat melerai; korban luka dibawa ke puskesmas.",
    "kebakaran": "Api diduga berasal dari korsleting listrik di salah satu rumah dan cepat "
                 "merambat ke rumah di sekitarnya yang berdinding bilik bambu. Pemadam kebakaran "
                 "tiba sekitar 40 menit kemudian.",
    "puting_beliung": "Angin kencang disertai hujan lebat merusak atap rumah warga dan "
                      "menumbangkan pohon. Warga dan relawan bergotong royong membersihkan puing.",
    "wabah_penyakit": "Puskesmas melaporkan peningkatan kasus demam berdarah dengue di satu "
                      "kampung dalam tiga minggu. Dilakukan fogging, pemberantasan sarang nyamuk "
                      "dan pemeriksaan warga.",
    "tanah_longsor": "Tebing setinggi kurang lebih 15 meter longsor setelah hujan dua hari "
                     "berturut-turut dan menimbun sebagian rumah di bawahnya. Warga di zona "
                     "rawan diungsikan.",
    "konflik_sosial": "Sengketa batas lahan garapan memicu ketegangan antarwarga; sebagian "
                      "keluarga mengungsi sementara ke rumah kerabat hingga mediasi oleh "
                      "Muspika selesai.",
}
DISASTER_AID = {  # kind -> (item, quantity, unit, source)
    "banjir": (("Beras", 10, "kg", "dinsos"), ("Mi instan", 1, "dus", "dinsos"),
               ("Selimut", 2, "lembar", "bpbd"), ("Paket kebersihan keluarga", 1, "paket", "csr")),
    "tawuran": (("Paket sembako", 1, "paket", "dinsos"),),
    "kebakaran": (("Beras", 10, "kg", "dinsos"), ("Paket sandang", 1, "paket", "kemensos"),
                  ("Terpal", 2, "lembar", "bpbd"), ("Peralatan dapur keluarga", 1, "paket",
                                                    "kemensos")),
    "puting_beliung": (("Terpal", 2, "lembar", "bpbd"), ("Genteng", 300, "buah", "csr"),
                       ("Paket sembako", 1, "paket", "dinsos")),
    "wabah_penyakit": (("Paket sembako", 1, "paket", "dinsos"), ("Air mineral", 2, "dus", "csr")),
    "tanah_longsor": (("Beras", 10, "kg", "dinsos"), ("Tenda keluarga", 1, "unit", "bpbd"),
                      ("Selimut", 2, "lembar", "kemensos")),
    "konflik_sosial": (("Paket sembako", 1, "paket", "dinsos"),),
}

ACTIVITIES = {
    "penyuluhan_sosial": ("Penyuluhan Sosial Pencegahan Perkawinan Anak",
                          "Penyuluhan Bahaya Penyalahgunaan NAPZA bagi Remaja",
                          "Penyuluhan Sosial Pencegahan Kekerasan dalam Rumah Tangga",
                          "Sosialisasi Program Sembako dan PKH bagi Keluarga Penerima Manfaat"),
    "nilai_kepahlawanan": ("Peringatan Hari Pahlawan 10 November",
                           "Ziarah dan Tabur Bunga di Taman Makam Pahlawan"),
    "keperintisan": ("Sarasehan Nilai Keperintisan bagi Karang Taruna",
                     "Napak Tilas Perjuangan Perintis Kemerdekaan di Banten"),
    "kesetiakawanan_sosial": ("Peringatan Hari Kesetiakawanan Sosial Nasional (HKSN)",
                              "Bakti Sosial dan Donor Darah Kesetiakawanan Sosial",
                              "Gotong Royong Bedah Rumah Warga Kurang Mampu"),
    "kelembagaan_usaha_sosial": ("Pelatihan Manajemen Usaha bagi Pengurus KUBE",
                                 "Bimbingan Teknis Kelembagaan Lembaga Kesejahteraan Sosial"),
}
LK3_CASES = {
    "kdrt": ("Klien mengalami kekerasan fisik dan psikis dari suami selama dua tahun terakhir.",
             ("konseling", "advokasi")),
    "konflik_keluarga": ("Pertengkaran berulang dengan mertua yang tinggal serumah.",
                         ("konsultasi", "konseling")),
    "perceraian": ("Klien mempertimbangkan perceraian dan menanyakan hak asuh anak.",
                   ("konsultasi", "informasi")),
    "ekonomi": ("Suami kehilangan pekerjaan; keluarga terlilit utang rentenir.",
                ("konsultasi", "rujukan")),
    "anak": ("Anak klien putus sekolah dan sering tidak pulang ke rumah.",
             ("konseling", "rujukan")),
    "lainnya": ("Klien merawat orang tua dengan demensia sendirian dan merasa tertekan.",
                ("konsultasi", "informasi")),
}
SLRT_COMPLAINTS = (  # complaint, recommendations, referral target
    ("Memohon keringanan biaya perawatan anak yang dirawat inap di rumah sakit.",
     ["pbi_jk", "rumah_sakit"], "RSUD dr. Dradjat Prawiranegara Serang"),
    ("Keluarga belum pernah menerima bantuan sosial meskipun kepala keluarga tidak bekerja.",
     ["pkh", "sembako"], "Dinas Sosial Kabupaten Serang (usulan DTKS)"),
    ("Rumah rusak berat, atap bocor dan dinding bilik bambu lapuk.",
     ["rs_rtlh"], "Dinas Perumahan dan Kawasan Permukiman Kabupaten Serang"),
    ("Pemohon dan anak-anaknya belum memiliki KTP dan Kartu Keluarga.",
     ["dukcapil"], "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Serang"),
    ("Pemohon mengalami kekerasan dari suami dan membutuhkan pendampingan.",
     ["lk3"], "LK3 Kabupaten Serang"),
    ("Anak pemohon penyandang disabilitas membutuhkan kursi roda dan terapi.",
     ["rehabilitasi_sosial", "pbi_jk"], "Dinas Sosial Kabupaten Serang (rehabilitasi sosial)"),
    ("Lansia hidup sendiri tanpa penghasilan dan sering sakit.",
     ["pkh", "pbi_jk"], "Puskesmas dan Dinas Sosial Kabupaten Serang"),
)
SLRT_REJECTIONS = ("Pemohon sudah terdaftar sebagai penerima PKH dan Program Sembako.",
                   "Hasil kunjungan rumah: keluarga memiliki usaha dan dua sepeda motor.",
                   ("Pemohon berdomisili di luar wilayah kecamatan; diarahkan ke SLRT "
                    "kecamatan tempat tinggalnya."))
SLRT_STATUSES = ("diajukan", "diverifikasi", "direkomendasikan", "ditolak", "dirujuk", "selesai")
OCCUPATIONS = {"buruh_tani": 25, "buruh_harian": 22, "tidak_bekerja": 12, "petani": 8,
               "nelayan": 6, "buruh_bangunan": 10, "pedagang_kecil": 8, "pengemudi": 5,
               "asisten_rumah_tangga": 4}
