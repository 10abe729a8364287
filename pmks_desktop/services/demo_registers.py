"""`pmks demo`, second part: households and every register of the four bidang.

Runs after demo.generate_records (the persons exist). Unlike the persons, which are written in
bulk, everything here goes through HouseholdService and RegisterService one record at a time,
so each demo record is validated, change-captured and audited exactly like typed data. Volumes
scale with the number of persons and are capped so that 100,000 persons add well under a
minute (see CAPS).
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterator

from sqlmodel import select

from pmks_desktop.domain.case_rules import age_in_years
from pmks_desktop.domain.rtlh import rtlh_verdict
from pmks_desktop.services import demo_names as names
from pmks_desktop.services.households import HouseholdInput
from pmks_desktop.services.registers import MemberInput
from pmks_desktop.storage.models import Person

Progress = Callable[[str, int, int], None]

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


@dataclass
class _Person:
    id: str
    name: str
    sex: str
    born: date
    desa: str
    nik: str | None
    no_kk: str | None
    address: str | None
    rt: str | None
    rw: str | None


@dataclass
class _Household:
    id: str
    desa: str
    no_kk: str | None
    address: str | None
    members: list[tuple[_Person, str]]
    fm_status: str | None = None  # fakir miskin register status, when registered
    dtks: bool = False

    @property
    def head(self) -> _Person:
        return next(p for p, rel in self.members if rel == "kepala")

    def spouse(self) -> _Person | None:
        return next((p for p, rel in self.members if rel in ("istri", "suami")), None)

    @property
    def poor(self) -> bool:
        return self.fm_status is not None and self.fm_status != "tidak_memenuhi"


@dataclass
class _DesaPool:
    """Unused persons of one desa, by sex and birth year, for building families."""

    persons: list[_Person]
    rng: random.Random
    today: date
    used: set = field(default_factory=set)

    def __post_init__(self):
        self.by_year = {"L": defaultdict(list), "P": defaultdict(list)}
        for p in self.persons:
            self.by_year[p.sex][p.born.year].append(p)
        for buckets in self.by_year.values():
            for bucket in buckets.values():
                self.rng.shuffle(bucket)
        age = self.age
        self.male_heads = [p for p in self.persons if p.sex == "L" and 23 <= age(p) <= 72]
        self.female_heads = [p for p in self.persons if p.sex == "P" and 25 <= age(p) <= 70]
        self.elders = [p for p in self.persons if age(p) >= 60]
        for heads in (self.male_heads, self.female_heads, self.elders):
            self.rng.shuffle(heads)

    def age(self, p: _Person) -> int:
        return age_in_years(p.born, self.today)

    def next_head(self, heads: list[_Person]) -> _Person | None:
        while heads:
            p = heads.pop()
            if p.id not in self.used:
                self.used.add(p.id)
                return p
        return None

    def take(self, sex: str, years: range) -> _Person | None:
        order = list(years)
        self.rng.shuffle(order)
        for year in order:
            bucket = self.by_year[sex].get(year)
            while bucket:
                p = bucket.pop()
                if p.id not in self.used:
                    self.used.add(p.id)
                    return p
        return None

    def children(self, count: int, years: range) -> list[_Person]:
        """Up to `count` children born in `years`; grown children past 30 have their own KK."""
        years = range(max(years.start, self.today.year - 30), years.stop)
        out = []
        for _ in range(count):
            sex = self.rng.choice("LP")
            child = self.take(sex, years) or self.take("P" if sex == "L" else "L", years)
            if child is None:
                break
            out.append(child)
        return sorted(out, key=lambda p: p.born)

    def family(self) -> list[tuple[_Person, str]] | None:
        """One family: (person, SHDK) with the head first; None when the desa has run out."""
        kind = self.rng.choices(("keluarga", "keluarga_ortu", "ibu_tunggal", "lansia"),
                                weights=(78, 5, 10, 7))[0]
        if kind == "ibu_tunggal":
            head = self.next_head(self.female_heads)
            if head:
                kids = self.children(self.rng.randint(1, 3),
                                     range(head.born.year + 18, head.born.year + 43))
                return [(head, "kepala")] + [(c, "anak") for c in kids]
        if kind == "lansia":
            head = self.next_head(self.elders)
            if head:
                return [(head, "kepala")]
        head = self.next_head(self.male_heads)
        if head is None:
            return None
        members = [(head, "kepala")]
        wife = self.take("P", range(head.born.year - 3,
                                    min(head.born.year + 13, self.today.year - 19) + 1))
        youngest, mother = head.born.year, head.born.year + 3
        if wife:
            members.append((wife, "istri"))
            youngest, mother = max(head.born.year, wife.born.year), wife.born.year
        count = self.rng.choices((0, 1, 2, 3, 4), weights=(10, 22, 35, 23, 10))[0]
        kids = self.children(count, range(youngest + 18, min(mother + 43, self.today.year) + 1))
        members += [(c, "anak") for c in kids]
        if kind == "keluarga_ortu":
            parent = self.take(self.rng.choice("LP"),
                               range(head.born.year - 40, head.born.year - 19))
            if parent:
                members.append((parent, "orang_tua"))
        return members


class _Generator:
    def __init__(self, services, rng: random.Random, persons_total: int,
                 progress: Progress | None):
        self.s, self.rng, self.total, self.progress = services, rng, persons_total, progress
        self.today = date.today()
        self.counts: dict[str, int] = defaultdict(int)
        self.settings = services.settings.all()
        office = services.office.office()
        self.place = office.place_name or "Kecamatan"
        self.kabupaten = office.kabupaten_name
        self.desa_names = {d.code: d.name for d in services.office.desa_list()}
        self.persons = self._load_persons()
        self.by_desa: dict[str, list[_Person]] = defaultdict(list)
        for p in self.persons:
            self.by_desa[p.desa].append(p)
        self.households: list[_Household] = []
        self.used_kk: set[str] = set()
        self.used_names: set[str] = set()
        adults = [p for p in self.persons if 25 <= self.age(p) <= 55]
        self.tksk = rng.choice(adults) if adults else None
        self.kecamatan_code = office.kecamatan_code or office.kabupaten_code + ".01"

    # ------------------------------------------------------------- helpers

    def _load_persons(self) -> list[_Person]:
        with self.s.db.read() as session:
            rows = session.exec(select(
                Person.id, Person.name, Person.sex, Person.birth_date, Person.desa_code,
                Person.nik, Person.no_kk, Person.address, Person.rt, Person.rw).where(
                Person.deleted_at == None, Person.merged_into_id == None,  # noqa: E711
                Person.birth_date != None).order_by(Person.id)).all()  # noqa: E711
        return [_Person(*row) for row in rows if row[3] < self.today]

    def age(self, p: _Person, on: date | None = None) -> int:
        """Completed years on `on`; -1 for someone not yet born then."""
        on = on or self.today
        return age_in_years(p.born, on) if p.born <= on else -1

    def past(self, max_days: int, min_days: int = 0) -> date:
        return self.today - timedelta(days=self.rng.randint(min_days, max_days))

    def scaled(self, per: int, low: int, cap_key: str) -> int:
        return max(low, min(self.total // per, CAPS[cap_key]))

    def desa_name(self, code: str | None) -> str:
        return self.desa_names.get(code, "") if code else ""

    def kampung_address(self) -> str:
        return (f"Kp. {self.rng.choice(KAMPUNG)} RT {self.rng.randint(1, 12):03d}/"
                f"RW {self.rng.randint(1, 8):03d}")

    def unique_name(self, make: Callable[[], str]) -> str:
        for _ in range(50):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        base = make()
        for suffix in ROMAN[1:] + tuple(f" {n}" for n in range(11, 1000)):
            if base + suffix not in self.used_names:
                self.used_names.add(base + suffix)
                return base + suffix
        raise RuntimeError("no unused name")

    def phone(self) -> str:
        return f"08{self.rng.choice((12, 13, 21, 22, 52, 57, 77, 78, 96))}" \
               f"{self.rng.randint(10_000_000, 99_999_999)}"

    def step(self, key: str, planned: int) -> None:
        self.counts[key] += 1
        if self.progress:
            self.progress(key, self.counts[key], planned)

    def save(self, register: str, values: dict, planned: int, *, members=(),
             parent_id: str | None = None):
        values = {k: v for k, v in values.items() if v is not None}
        entry = self.s.registers.save(register, values, members=list(members),
                                      parent_id=parent_id)
        self.step(register, planned)
        return entry

    def new_kk(self) -> str:
        code = self.kecamatan_code
        while True:
            issued = self.past(365 * 15, 30)
            number = code.replace(".", "") + issued.strftime("%d%m%y") + \
                f"{self.rng.randint(1, 9999):04d}"
            if number not in self.used_kk:
                self.used_kk.add(number)
                return number

    @staticmethod
    def goods(total: int, templates) -> list[dict]:
        """Rows whose quantity x unit price add up to `total` exactly (the last row balances)."""
        rows, remaining = [], int(total)
        for name, quantity, price, *unit in templates[:-1]:
            quantity = min(quantity, (remaining - 1) // price) if remaining > 0 else 0
            if quantity >= 1:
                rows.append({"item": name, "quantity": quantity, "unit": (unit or ["unit"])[0],
                             "unit_price": price})
                remaining -= quantity * price
        name, _quantity, _price, *unit = templates[-1]
        return rows + [{"item": name, "quantity": 1, "unit": (unit or ["paket"])[0],
                        "unit_price": max(remaining, 0)}]

    # ------------------------------------------------------------- households

    def make_households(self) -> None:
        planned = min(self.total // 4, CAPS["household"])
        pools = [_DesaPool(persons, self.rng, self.today)
                 for _code, persons in sorted(self.by_desa.items())]
        families: list[list[tuple[_Person, str]]] = []
        while pools and len(families) < planned:
            for pool in list(pools):
                family = pool.family()
                if family is None:
                    pools.remove(pool)
                    continue
                families.append(family)
                if len(families) >= planned:
                    break
        for members in families:
            head = members[0][0]
            no_kk = head.no_kk if head.no_kk and head.no_kk not in self.used_kk else self.new_kk()
            self.used_kk.add(no_kk)
            household = self.s.households.save(HouseholdInput(
                desa_code=head.desa, no_kk=no_kk, address=head.address or "",
                rt=head.rt or "", rw=head.rw or "",
                members=[(p.id, rel) for p, rel in members]))
            self.households.append(_Household(household.id, head.desa, no_kk, head.address,
                                              members))
            self.step("household", len(families))

    # ------------------------------------------------------------- fakir miskin bidang

    def fakir_miskin(self) -> None:
        chosen = self.rng.sample(self.households, min(len(self.households) // 2 or
                                                      len(self.households),
                                                      CAPS["fakir_miskin"]))
        occupations, weights = list(OCCUPATIONS), list(OCCUPATIONS.values())
        for h in chosen:
            status = self.rng.choices(("didata", "diverifikasi", "diusulkan_dtks",
                                       "tidak_memenuhi"), weights=(30, 40, 20, 10))[0]
            occupation = self.rng.choices(occupations, weights=weights)[0]
            poor = status != "tidak_memenuhi"
            income = self.rng.randrange(300_000, 1_900_000, 50_000) if poor else \
                self.rng.randrange(2_600_000, 4_500_000, 100_000)
            if occupation == "tidak_bekerja" and poor:
                income = self.rng.randrange(0, 600_000, 50_000)
            dtks = self.rng.random() < (0.75 if status != "didata" else 0.4)
            aid = [a for a, p in (("pkh", 0.35), ("sembako", 0.5), ("pbi_jk", 0.7), ("blt", 0.15))
                   if dtks and self.rng.random() < p]
            h.fm_status, h.dtks = status, dtks
            self.save("fakir_miskin", {
                "household": h.id, "desa": h.desa, "recorded_on": self.past(700),
                "criteria": ["c1"] if occupation == "tidak_bekerja" else ["c2"],
                "head_occupation": occupation, "monthly_income": income,
                "dependants": len(h.members) - 1,
                "assets": self.rng.choice((["tidak_ada"], ["tidak_ada"], ["rumah"],
                                           ["rumah", "ternak"], ["sepeda_motor"]))
                if poor else ["rumah", "sepeda_motor", "tabungan"],
                "lighting": self.rng.choices(("pln_450", "pln_900", "listrik_menumpang",
                                              "bukan_listrik"), weights=(55, 20, 22, 3))[0],
                "water_source": self.rng.choice(("sumur_bor", "sumur_terlindung",
                                                 "sumur_tak_terlindung", "air_kemasan",
                                                 "mata_air")),
                "cooking_fuel": self.rng.choices(("lpg_3kg", "kayu_bakar", "minyak_tanah"),
                                                 weights=(75, 22, 3))[0],
                "dtks_status": "terdaftar" if dtks else "belum_terdaftar",
                "aid_received": aid or None, "status": status,
                "notes": None if poor else
                "Hasil verifikasi lapangan: penghasilan keluarga di atas garis kemiskinan.",
            }, len(chosen))

    def kpm(self) -> None:
        with_nik = [h for h in self.households if h.head.nik]
        first = [h for h in with_nik if h.poor and h.dtks]
        rest = [h for h in with_nik if not (h.poor and h.dtks)]
        self.rng.shuffle(rest)
        chosen = (first + rest)[:min(len(self.households) // 2 or len(with_nik), CAPS["kpm"])]
        used_cards: set[str] = set()
        agents = [f"e-Warong KUBE {self.rng.choice(GROUP_WORDS_1)} "
                  f"{self.rng.choice(GROUP_WORDS_2)}" for _ in range(6)] + \
                 [f"Agen BNI46 Toko {self.rng.choice(names.MALE)}" for _ in range(4)]
        for h in chosen:
            card = self._kks(used_cards)
            status = self.rng.choices(("aktif", "nonaktif", "meninggal", "pindah",
                                       "tidak_ditemukan"), weights=(86, 5, 3, 3, 3))[0]
            start = date(self.rng.randint(self.today.year - 3, self.today.year),
                         self.rng.randint(1, 12), 1)
            if start > self.today:
                start = date(self.today.year, 1, 1)
            self.save("kpm", {
                "pengurus": h.head.id, "household": h.id,
                "mother_name": f"{self.rng.choice(names.FEMALE)} "
                               f"{self.rng.choice(names.SECOND_FEMALE)}",
                "desa": h.desa, "address": h.address, "kks_number": card,
                "membership_status": status, "pkh": self.rng.random() < 0.35,
                "period_start": start, "aid_index": self.settings["kpm.aid_index"],
                "e_warong": self.rng.choice(agents),
                "notes": {"meninggal": "Pengurus meninggal dunia; menunggu pergantian pengurus.",
                          "pindah": "Keluarga pindah ke luar kecamatan.",
                          "tidak_ditemukan": "Tidak ditemukan saat verifikasi lapangan.",
                          "nonaktif": "Dinonaktifkan pada pemutakhiran DTKS."}.get(status),
            }, len(chosen))

    def _kks(self, used: set[str]) -> str:
        while True:
            body = self.rng.choice(KKS_PREFIXES) + f"{self.rng.randint(0, 10 ** 9 - 1):09d}"
            digits = [int(d) for d in body][::-1]
            total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2)
                        for i, d in enumerate(digits))
            number = body + str((10 - total % 10) % 10)  # Luhn check digit, as on bank cards
            if number not in used:
                used.add(number)
                return number

    def rtlh(self) -> None:
        poor = [h for h in self.households if h.poor]
        others = [h for h in self.households if not h.poor]
        planned = min(len(self.households) // 8 + 1, CAPS["rtlh"], len(self.households))
        from_poor = min(len(poor), planned * 3 // 4 or planned)
        chosen = self.rng.sample(poor, from_poor) + \
            self.rng.sample(others, min(len(others), planned - from_poor))
        validators = [self.tksk.name] if self.tksk else []
        validators += [f"{self.rng.choice(names.FEMALE)} {self.rng.choice(names.SECOND_FEMALE)}"
                       for _ in range(2)]
        threshold = float(self.settings["rtlh.min_area_per_person"])
        for h in chosen:
            occupants = len(h.members) + self.rng.choice((0, 0, 0, 1, 2))
            scenario = self.rng.choices(("rusak", "layak", "tanah", "belum_bersedia"),
                                        weights=(62, 20, 9, 9))[0]
            values = {"household": h.id, "desa": h.desa, "address": h.address,
                      "roof": "layak", "walls": "layak", "floor": "layak", "mck": "ada",
                      "land_status": self.rng.choices(("sertifikat", "girik", "letter_c",
                                                       "keterangan_desa"),
                                                      weights=(25, 35, 25, 15))[0],
                      "agrees_no_sale": True, "registered_poor": h.poor,
                      "validated_on": self.past(500),
                      "validator": self.rng.choice(validators) if validators else "Petugas"}
            if scenario == "layak":
                area = occupants * self.rng.uniform(threshold + 0.8, threshold * 2.2)
            else:
                area = self.rng.uniform(18, 54)
                defects = self.rng.sample(("roof", "walls", "floor", "mck"),
                                          self.rng.randint(1, 3))
                for name in defects:
                    values[name] = {"roof": self.rng.choice(("rusak", "bahan_mudah_lapuk")),
                                    "walls": self.rng.choice(("rusak", "bahan_mudah_lapuk")),
                                    "floor": self.rng.choice(("tanah", "papan", "bambu",
                                                              "rusak")),
                                    "mck": "tidak_ada"}[name]
            if scenario == "tanah":
                values["land_status"] = "tidak_jelas"
            if scenario == "belum_bersedia":
                values["agrees_no_sale"] = False
            values["floor_area"] = round(max(area, 6.0) * 2) / 2
            values["occupants"] = occupants
            verdict = rtlh_verdict(values, min_area_per_person=threshold)
            values["status"] = self.rng.choice(("divalidasi", "diusulkan", "diusulkan",
                                                "dibangun")) if verdict.eligible else \
                self.rng.choice(("tidak_diusulkan", "tidak_diusulkan", "divalidasi"))
            if not verdict.eligible:
                values["notes"] = next((r for r in verdict.reasons if "tidak memenuhi" in r),
                                       "Rumah masih layak huni.")
            self.save("rtlh", values, len(chosen))

    def _adult_of(self, h: _Household, low: int, high: int, on: date) -> _Person | None:
        for p in (h.head, h.spouse()):
            if p is not None and low <= self.age(p, on) <= high:
                return p
        return None

    def _groups(self, candidates: dict[str, list], size: int, wanted: int) -> list[list]:
        """Groups of `size` from one desa each; leftovers across desa only if still short."""
        groups, leftovers = [], []
        for code in sorted(candidates):
            people = candidates[code]
            self.rng.shuffle(people)
            while len(people) >= size and len(groups) < wanted:
                groups.append([people.pop() for _ in range(size)])
            leftovers += people
        self.rng.shuffle(leftovers)
        while len(leftovers) >= size and len(groups) < wanted:
            groups.append([leftovers.pop() for _ in range(size)])
        return groups

    def kube(self) -> None:
        size = int(self.settings["kube.group_size_min"])
        candidates: dict[str, list[_Person]] = defaultdict(list)
        for h in self.households:
            member = self._adult_of(h, 18, 64, self.today) if h.poor else None
            if member:
                candidates[h.desa].append(member)
        groups = self._groups(candidates, size, self.scaled(2500, 1, "kube"))
        roles = ["ketua", "sekretaris", "bendahara"]
        for people in groups:
            business = self.rng.choice(list(KUBE_GOODS))
            status = self.rng.choices(("diusulkan", "diverifikasi", "disetujui", "disalurkan",
                                       "ditolak"), weights=(20, 20, 15, 40, 5))[0]
            proposed = self.past(900, 10)
            name = self.unique_name(lambda: f"KUBE {self.rng.choice(GROUP_WORDS_1)} "
                                            f"{self.rng.choice(GROUP_WORDS_2)}")
            aid = int(self.settings["kube.aid_value"])
            bank, digits = self.rng.choice(BANKS)
            funded = status in ("disetujui", "disalurkan")
            self.save("kube", {
                "group_name": name, "business_type": business, "desa": people[0].desa,
                "address": f"{self.kampung_address()}, Desa {self.desa_name(people[0].desa)}",
                "year": proposed.year, "aid_value": aid,
                "aid_items": self.goods(aid, KUBE_GOODS[business]),
                "bank_name": bank if funded else None,
                "account_number": f"{self.rng.randint(1, 9)}"
                                  f"{self.rng.randint(0, 10 ** (digits - 1) - 1):0{digits - 1}d}"
                if funded else None,
                "account_holder": name if funded else None,
                "status": status, "proposed_on": proposed,
                "notes": "Tidak lolos verifikasi: dua anggota sudah menerima KUBE tahun lalu."
                if status == "ditolak" else None,
            }, len(groups), members=[MemberInput(p.id, roles[i] if i < 3 else "anggota")
                                     for i, p in enumerate(people)])

    def uep(self) -> None:
        size = int(self.settings["uep.group_size_min"])
        wanted = self.scaled(2500, 1, "uep")
        proposed = [self.past(700, 10) for _ in range(wanted)]
        on = max(proposed) if proposed else self.today
        low_on = min(proposed) if proposed else self.today
        candidates: dict[str, list[_Person]] = defaultdict(list)
        for p in self.persons:  # 18-59 on every proposal date, so any group may take her
            if p.sex == "P" and self.age(p, low_on) >= 18 and self.age(p, on) <= 59:
                candidates[p.desa].append(p)
        groups = self._groups(candidates, size, wanted)
        aid = int(self.settings["uep.aid_value"])
        for people, day in zip(groups, proposed):
            business = self.rng.choice(list(UEP_GOODS))
            status = self.rng.choices(("diusulkan", "diverifikasi", "disetujui", "disalurkan",
                                       "ditolak"), weights=(20, 20, 15, 40, 5))[0]
            self.save("uep", {
                "group_name": self.unique_name(
                    lambda: f"Kelompok UEP {self.rng.choice(FLOWERS)}"),
                "business_type": business, "desa": people[0].desa,
                "address": f"{self.kampung_address()}, Desa {self.desa_name(people[0].desa)}",
                "year": day.year, "aid_per_person": aid,
                "aid_items": self.goods(aid, UEP_GOODS[business]),
                "status": status, "proposed_on": day,
            }, len(groups), members=[MemberInput(p.id, "ketua" if i == 0 else "anggota")
                                     for i, p in enumerate(people)])

    # ------------------------------------------------------------- linjamsos

    def disasters(self) -> None:
        count = self.rng.randint(3, 6)
        plans = list(EVENT_PLANS[:3])  # alam, sosial, non alam first: every kind appears
        rest = list(EVENT_PLANS[3:])
        self.rng.shuffle(rest)
        plans += rest[:count - 3]
        desa_codes = sorted(self.desa_names)
        households_by_desa: dict[str, list[_Household]] = defaultdict(list)
        for h in self.households:
            households_by_desa[h.desa].append(h)
        receipt = 0
        days = sorted(self.rng.sample(range(5, 420), count), reverse=True)
        for (kind, sub_kind, pattern, statuses, damage, needs), ago in zip(plans, days):
            desa = self.rng.choice(desa_codes)
            kampung = self.rng.choice(KAMPUNG)
            on = self.today - timedelta(days=ago)
            victims = self._victims(desa, households_by_desa,
                                    min(self.rng.randint(20, 60), max(4, self.total // 15)))
            people = sum(len(v.members) if isinstance(v, _Household) else 1 for v in victims)
            families = max(1, len(victims))  # a victim recorded alone still has a family
            event = self.save("bencana", {
                "name": pattern.format(k=kampung) + f", Desa {self.desa_name(desa)}",
                "kind": kind, "sub_kind": sub_kind, "date": on,
                "time": f"{self.rng.randint(0, 23):02d}:{self.rng.choice((0, 15, 30, 45)):02d}",
                "desa": desa, "rt": f"{self.rng.randint(1, 12):03d}",
                "rw": f"{self.rng.randint(1, 8):03d}", "location": f"Kp. {kampung}",
                "chronology": CHRONOLOGY[sub_kind],
                "affected_households": families + self.rng.randint(0, 12),
                "affected_persons": max(people, families * 3) + self.rng.randint(0, 30),
                "status": "selesai" if ago > 180 else "pemulihan" if ago > 45 else
                "tanggap_darurat" if ago > 10 else "kaji_cepat",
            }, count)
            shelter = self.rng.choice((f"Masjid {self.rng.choice(MOSQUES)} Kp. {kampung}",
                                       f"Balai Desa {self.desa_name(desa)}",
                                       f"Lapangan Kp. {kampung} (tenda BPBD)"))
            for victim in victims:
                receipt = self._victim(event.id, victim, kind, sub_kind, statuses, damage,
                                       needs, on, shelter, receipt, 0)
            for source, item, quantity, unit in (("bpbd", "Tenda pengungsi", 2, "unit"),
                                                 ("csr", "Paket makanan siap saji", 150, "paket")):
                if sub_kind in ("banjir", "kebakaran", "tanah_longsor"):
                    receipt += 1
                    self.save("bantuan_bencana", {
                        "recipient_name": f"Posko pengungsian {shelter}", "desa": desa,
                        "item": item, "quantity": quantity, "unit": unit,
                        "date": min(on + timedelta(days=1), self.today), "source": source,
                        "receipt_number": f"{receipt:03d}/BAST-Bencana/Kesos/{on.year}",
                    }, 0, parent_id=event.id)

    def _victims(self, desa: str, households_by_desa, wanted: int) -> list:
        """Mostly whole families (per KK) of the event's desa, the rest single persons."""
        local = list(households_by_desa.get(desa, ()))
        self.rng.shuffle(local)
        taken_people: set[str] = set()
        victims: list = []
        for h in local[:wanted * 2 // 3]:
            victims.append(h)
            taken_people.update(p.id for p, _ in h.members)
        persons = [p for p in self.by_desa.get(desa, ()) if p.id not in taken_people]
        if len(persons) < wanted - len(victims):
            persons += [p for p in self.persons if p.desa != desa]
        self.rng.shuffle(persons)
        victims += persons[:max(0, wanted - len(victims))]
        return victims

    def _victim(self, event_id, victim, kind, sub_kind, statuses, damage, needs, on, shelter,
                receipt, planned) -> int:
        status = self.rng.choices(list(statuses), weights=list(statuses.values()))[0]
        family = victim if isinstance(victim, _Household) else None
        person = family.head if family else victim
        people = [p for p, _ in family.members] if family else [victim]
        vulnerable = set()
        for p in people:
            age = self.age(p, on)
            if age < 5:
                vulnerable.add("balita")
            if age >= 60:
                vulnerable.add("lansia")
        if self.rng.random() < 0.03:
            vulnerable.add("disabilitas")
        if any(p.sex == "P" and 20 <= self.age(p, on) <= 38 for p in people) and \
                self.rng.random() < 0.06:
            vulnerable.add("ibu_hamil")
        recorded = min(on + timedelta(days=self.rng.randint(0, 3)), self.today)
        displaced = status == "mengungsi"
        self.save("korban_bencana", {
            "name": person.name, "person": None if family else person.id,
            "household": family.id if family else None,
            "household_size": len(family.members) if family else None, "desa": person.desa,
            "recorded_on": recorded, "pmks_type": VICTIM_PMKS[kind],
            "criteria": (["c1"] if status in ("meninggal", "hilang", "luka_berat", "luka_ringan")
                         else []) + (["c2"] if damage and status != "luka_ringan" else []) +
                        (["c3"] if kind == "sosial" or self.rng.random() < 0.3 else []) or
                        ["c4"],
            "victim_status": status, "vulnerable": sorted(vulnerable) or None,
            "house_damage": self.rng.choice(damage) if damage and family else None,
            "shelter": shelter if displaced else None,
            "urgent_needs": sorted(self.rng.sample(needs, self.rng.randint(1, len(needs)))),
        }, planned, parent_id=event_id)
        handed = min(on + timedelta(days=self.rng.randint(1, 7)), self.today)
        gifts = []
        if status == "meninggal":
            gifts.append(("Santunan ahli waris", 1, "paket", "kemensos",
                          int(self.settings["bencana.santunan_meninggal"])))
        elif status == "luka_berat":
            gifts.append(("Santunan korban luka berat", 1, "paket", "kemensos",
                          int(self.settings["bencana.santunan_luka_berat"])))
        if status != "meninggal" and self.rng.random() < 0.75:
            item, quantity, unit, source = self.rng.choice(DISASTER_AID[sub_kind])
            gifts.append((item, quantity, unit, source, None))
        for item, quantity, unit, source, money in gifts:
            receipt += 1
            heir = status == "meninggal"
            self.save("bantuan_bencana", {
                "recipient_name": (f"Ahli waris {'almarhum' if person.sex == 'L' else 'almarhumah'}"
                                   f" {person.name}") if heir else person.name,
                "person": None if heir else person.id,
                "household": family.id if family else None, "desa": person.desa,
                "item": item, "quantity": quantity, "unit": unit, "date": handed,
                "source": source, "compensation": money,
                "receipt_number": f"{receipt:03d}/BAST-Bencana/Kesos/{handed.year}",
            }, planned, parent_id=event_id)
        return receipt

    # ------------------------------------------------------------- pemberdayaan sosial

    def kegiatan(self) -> None:
        count = self.scaled(3000, 5, "kegiatan")
        kinds = list(ACTIVITIES)
        adults = [p for p in self.persons if self.age(p) >= 15]
        for i in range(count):
            kind = kinds[i % len(kinds)]
            desa = self.rng.choice(sorted(self.desa_names)) if self.rng.random() < 0.6 else None
            status = self.rng.choices(("terlaksana", "direncanakan", "dibatalkan"),
                                      weights=(80, 15, 5))[0]
            on = self.today + timedelta(days=self.rng.randint(3, 45)) \
                if status == "direncanakan" else self.past(600, 1)
            pool = [p for p in self.by_desa.get(desa, ()) if self.age(p) >= 15] if desa \
                else adults
            if len(pool) < 10:
                pool = adults
            participants = self.rng.sample(pool, min(len(pool), self.rng.randint(12, 30)))
            members = [MemberInput(p.id, "panitia" if n < 2 else "peserta")
                       for n, p in enumerate(participants)]
            if self.tksk and self.tksk not in participants and self.rng.random() < 0.5:
                members.append(MemberInput(self.tksk.id, "narasumber"))
            place = f"Balai Desa {self.desa_name(desa)}" if desa else \
                self.rng.choice((f"Aula Kantor Kecamatan {self.place}",
                                 f"Masjid Agung {self.place}",
                                 f"Gedung Serbaguna Kecamatan {self.place}"))
            self.save("kegiatan", {
                "kind": kind, "name": self.rng.choice(ACTIVITIES[kind]), "date": on,
                "place": place, "desa": desa,
                "speakers": self.rng.choice((f"Penyuluh Sosial Dinas Sosial {self.kabupaten}",
                                             f"Camat {self.place}", f"Kapolsek {self.place}",
                                             f"Kepala Puskesmas {self.place}",
                                             f"TKSK Kecamatan {self.place}")),
                "participant_count": sum(m.role == "peserta" for m in members)
                + (self.rng.randint(0, 25) if status == "terlaksana" else 0),
                "description": "Kegiatan dibuka oleh Camat, dilanjutkan paparan narasumber, "
                               "tanya jawab, dan penandatanganan daftar hadir."
                if status == "terlaksana" else None,
                "status": status,
            }, count, members=members)

    def lk3(self) -> None:
        count = self.scaled(600, 6, "lk3")
        adults = [p for p in self.persons if 18 <= self.age(p) <= 70]
        if not adults:
            return
        couples = [(h.head, h.spouse()) for h in self.households if h.spouse()]
        parents = [(h.head, next(p for p, rel in h.members if rel == "anak"))
                   for h in self.households if any(rel == "anak" for _, rel in h.members)]
        problems = list(LK3_CASES)
        for i in range(count):
            problem = problems[i] if i < len(problems) else \
                self.rng.choices(problems, weights=(25, 20, 15, 20, 15, 5))[0]
            client, companion = self.rng.choice(adults), None
            if problem in ("kdrt", "konflik_keluarga", "perceraian", "ekonomi") and couples:
                husband, wife = self.rng.choice(couples)
                client = wife
                companion = self.rng.choice(("Kakak kandung klien", "Ibu kandung klien",
                                             "Kader PKK desa")) \
                    if problem in ("kdrt", "perceraian") else f"{husband.name} (suami)"
            elif problem == "anak" and parents:
                client, child = self.rng.choice(parents)
                companion = f"{child.name} (anak)"
            notes, services = LK3_CASES[problem]
            status = self.rng.choices(("baru", "lanjutan", "selesai"), weights=(30, 35, 35))[0]
            self.save("lk3", {
                "client": client.id, "companion": companion, "date": self.past(500),
                "problem": problem, "services": list(services[:self.rng.randint(1, 2)]),
                "status": status,
                "session_notes": notes + (" Sesi lanjutan dijadwalkan dua minggu lagi."
                                          if status != "selesai" else
                                          " Masalah dinyatakan selesai setelah tiga sesi."),
            }, count)

    def slrt(self) -> None:
        count = self.scaled(300, len(SLRT_STATUSES), "slrt")
        adults = [p for p in self.persons if self.age(p) >= 18]
        if not adults:
            return
        for i in range(count):
            status = SLRT_STATUSES[i] if i < len(SLRT_STATUSES) else self.rng.choices(
                SLRT_STATUSES, weights=(15, 15, 15, 10, 25, 20))[0]
            complaint, recommendations, target = self.rng.choice(SLRT_COMPLAINTS)
            applicant = self.rng.choice(adults)
            intake = self.past(600, 2)
            values = {"applicant": applicant.id, "desa": applicant.desa, "intake_date": intake,
                      "complaint": complaint, "status": status}
            if status != "diajukan":
                values["assessment"] = ("Kunjungan rumah oleh TKSK dan operator SLRT: kondisi "
                                        "sesuai pengaduan." if status != "ditolak" else
                                        "Kunjungan rumah oleh TKSK dan operator SLRT.")
            if status in ("direkomendasikan", "dirujuk", "selesai"):
                values["recommendations"] = recommendations
            if status == "ditolak":
                values["rejection_reason"] = self.rng.choice(SLRT_REJECTIONS)
            if status in ("dirujuk", "selesai"):
                values["referral_target"] = target
                values["referral_date"] = min(intake + timedelta(days=self.rng.randint(1, 14)),
                                              self.today)
            if status == "selesai":
                values["follow_up"] = "Layanan sudah diterima pemohon; dipantau TKSK saat " \
                                      "kunjungan berikutnya."
            self.save("slrt", values, count)

    def psks(self) -> None:
        adults = [p for p in self.persons if 25 <= self.age(p) <= 58]
        desa_codes = sorted(self.desa_names)
        plan: list[tuple[str, _Person | None, str | None]] = []  # kind, person, desa
        if self.tksk:
            plan.append(("tksk", self.tksk, self.tksk.desa))
        picks = {"pekerja_sosial_profesional": 2, "tagana": 3, "penyuluh_sosial": 1,
                 "wpks": 2, "keluarga_pioner": 2}
        pool = [p for p in adults if p is not self.tksk]
        self.rng.shuffle(pool)
        for desa in desa_codes:
            local = next((p for p in pool if p.desa == desa), None)
            if local:
                pool.remove(local)
                plan.append(("psm", local, desa))
            plan.append(("karang_taruna", None, desa))
        for kind, n in picks.items():
            for _ in range(n):
                person = next((p for p in pool if kind != "wpks" or p.sex == "P"), None)
                if person:
                    pool.remove(person)
                    plan.append((kind, person, person.desa))
        plan += [("lks", None, self.rng.choice(desa_codes)) for _ in range(3)]
        plan += [("lk3", None, None), ("wksbm", None, self.rng.choice(desa_codes)),
                 ("wksbm", None, self.rng.choice(desa_codes)), ("dunia_usaha", None, None)]
        plan = plan[:CAPS["psks"]]
        lembaga = {"lks": lambda d: self.rng.choice((
                       f"LKS Yayasan Yatim Piatu {self.rng.choice(MOSQUES)}",
                       f"LKS Lanjut Usia {self.rng.choice(GROUP_WORDS_1)} Kasih",
                       f"LKS Anak Pondok Pesantren {self.rng.choice(MOSQUES)}")),
                   "karang_taruna": lambda d: f"Karang Taruna {self.rng.choice(YOUTH)} "
                                              f"Desa {self.desa_name(d)}",
                   "lk3": lambda d: f"LK3 {self.rng.choice(('Sakinah', 'Harmoni', 'Mawaddah'))} "
                                    f"Kecamatan {self.place}",
                   "wksbm": lambda d: f"WKSBM Majelis Taklim {self.rng.choice(MOSQUES)} "
                                      f"Desa {self.desa_name(d)}",
                   "dunia_usaha": lambda d: f"PT {self.rng.choice(GROUP_WORDS_1)} Baja "
                                            f"{self.place} (program CSR)"}
        institutions = {"tksk": f"Dinas Sosial {self.kabupaten}",
                        "pekerja_sosial_profesional": "Ikatan Pekerja Sosial Profesional "
                                                      "Indonesia (IPSPI)",
                        "tagana": f"Tagana {self.kabupaten}",
                        "penyuluh_sosial": f"Dinas Sosial {self.kabupaten}",
                        "psm": f"IPSM Kecamatan {self.place}",
                        "wpks": f"PKK Kecamatan {self.place}"}
        for kind, person, desa in plan:
            established = self.rng.randint(1995, self.today.year - 1)
            name = person.name if person else self.unique_name(lambda k=kind, d=desa: lembaga[k](d))
            if kind == "keluarga_pioner":
                name = f"Keluarga {'Bapak' if person.sex == 'L' else 'Ibu'} {person.name}"
            self.save("psks", {
                "kind": kind, "name": name, "person": person.id if person else None,
                "institution": institutions.get(kind), "desa": desa,
                "address": f"{self.kampung_address()}" + (f", Desa {self.desa_name(desa)}"
                                                          if desa else ""),
                "phone": self.phone(),
                "legal_basis": f"SK Camat {self.place} Nomor 400.9/"
                               f"{self.rng.randint(10, 250):03d}/{established}"
                if person else f"AHU-{self.rng.randint(1, 99999):07d}.AH.01.04 "
                               f"Tahun {established}",
                "year_established": established, "active": self.rng.random() < 0.9,
            }, len(plan))

    def kat(self) -> None:
        count = 1 if self.total < 5000 else 2
        desa_codes = sorted(self.desa_names)
        for i in range(count):
            households = self.rng.randint(18, 60)
            kampung = self.rng.choice(("Cibatu Girang", "Leuwi Damar", "Pasir Kadu",
                                       "Cikasungka Hilir"))
            self.save("kat", {
                "name": f"Komunitas Adat Kampung {kampung}",
                "desa": self.rng.choice(desa_codes), "location": f"Kp. {kampung}, di tepi hutan",
                "recorded_on": self.past(700, 30), "households": households,
                "persons": households * self.rng.randint(3, 5) + self.rng.randint(0, 3),
                "criteria": ["c1", "c2", "c3", "c4", "c6"][:self.rng.randint(3, 5)],
                "conditions": "Permukiman terpencil, dicapai dengan jalan setapak sekitar dua "
                              "jam dari jalan desa; warga berladang dan mencari hasil hutan.",
                "basic_services": self.rng.sample(["pendidikan", "kesehatan", "adminduk",
                                                   "bansos"], 2),
                "status": ("persiapan", "pemberdayaan")[i % 2],
            }, count)


def generate_registers(services, rng: random.Random, *, persons_total: int,
                       progress: Progress | None = None) -> dict[str, int]:
    """Households and entries of every register for a demo office, through the services.

    The signed-in user (the demo administrator) is recorded as the author, as for typed data.
    Returns the number of records written per register ("household" for the families).
    """
    gen = _Generator(services, rng, persons_total, progress)
    steps: tuple[Callable[[], None], ...] = (
        gen.make_households, gen.fakir_miskin, gen.kpm, gen.rtlh, gen.kube, gen.uep)
    for run in steps:
        run()
    if gen.desa_names:
        for run in (gen.disasters, gen.kegiatan, gen.lk3, gen.slrt, gen.psks, gen.kat):
            run()
    return {key: gen.counts.get(key, 0) for key, _label, _unit in SUMMARY}


def summary_lines(counts: dict[str, int]) -> Iterator[str]:
    """`KUBE: 40 kelompok`, one line per register, numbers with thousands dots."""
    for key, label, unit in SUMMARY:
        yield f"{label}: {counts.get(key, 0):,} {unit}".replace(",", ".")
