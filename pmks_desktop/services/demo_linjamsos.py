"""Register demo, Perlindungan dan Jaminan Sosial: disasters, victims, aid."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from pmks_desktop.services.demo_register_data import KAMPUNG, MOSQUES, EVENT_PLANS, VICTIM_PMKS, CHRONOLOGY, DISASTER_AID
from pmks_desktop.services.demo_families import _Household


class LinjamsosDemo:
    """Disaster events with their victims and the aid handed out (mixed into the demo generator: uses its helpers)."""

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
