"""Register demo, Penanganan Fakir Miskin: fakir miskin, KPM, RS-RTLH, KUBE, UEP."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from pmks_desktop.domain.rtlh import rtlh_verdict
from pmks_desktop.services import demo_names as names
from pmks_desktop.services.registers import MemberInput

from pmks_desktop.services.demo_register_data import CAPS, GROUP_WORDS_1, GROUP_WORDS_2, FLOWERS, BANKS, KKS_PREFIXES, KUBE_GOODS, UEP_GOODS, OCCUPATIONS
from pmks_desktop.services.demo_families import _Person, _Household


class FakirMiskinDemo:
    """Fakir miskin households, KPM Sembako, RS-RTLH, KUBE and UEP groups (mixed into the demo generator: uses its helpers)."""

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
        for index, h in enumerate(chosen):
            occupants = len(h.members) + self.rng.choice((0, 0, 0, 1, 2))
            scenario = self.rng.choices(("rusak", "layak", "tanah", "belum_bersedia"),
                                        weights=(62, 20, 9, 9))[0]
            # Even a small demo shows both verdicts: the first (a poor household, chosen
            # first) has a damaged house, the second a sound one.
            scenario = {0: "rusak", 1: "layak"}.get(index, scenario)
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
            if index == 0:  # no latrine, own land, a registered poor family: eligible
                values.update(land_status="sertifikat", mck="tidak_ada", registered_poor=True)
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
        for index, people in enumerate(groups):
            business = self.rng.choice(list(KUBE_GOODS))
            status = self.rng.choices(("diusulkan", "diverifikasi", "disetujui", "disalurkan",
                                       "ditolak"), weights=(20, 20, 15, 40, 5))[0]
            # Even a small demo has a handed-over group, so its handover minutes can print.
            status = "disalurkan" if index == 0 else status
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
        for index, (people, day) in enumerate(zip(groups, proposed)):
            business = self.rng.choice(list(UEP_GOODS))
            status = self.rng.choices(("diusulkan", "diverifikasi", "disetujui", "disalurkan",
                                       "ditolak"), weights=(20, 20, 15, 40, 5))[0]
            status = "disalurkan" if index == 0 else status  # as for KUBE
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
