"""Register demo, Pemberdayaan Sosial: activities, LK3, SLRT, PSKS, KAT."""
from __future__ import annotations

from datetime import timedelta

from pmks_desktop.services.registers import MemberInput

from pmks_desktop.services.demo_register_data import CAPS, MOSQUES, GROUP_WORDS_1, YOUTH, ACTIVITIES, LK3_CASES, SLRT_COMPLAINTS, SLRT_REJECTIONS, SLRT_STATUSES
from pmks_desktop.services.demo_families import _Person


class DayasosDemo:
    """Activities, LK3 cases, SLRT intakes, PSKS and KAT communities (mixed into the demo generator: uses its helpers)."""

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
