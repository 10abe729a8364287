"""Builds the services of one open database. The GUI and the CLI both start here.

The GUI's main window hands each tab only the services it uses; nothing passes this object on.
"""
from __future__ import annotations

from dataclasses import dataclass

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.case_queries import CaseQueries
from pmks_desktop.services.cases import CaseService
from pmks_desktop.services.dashboard import DashboardService
from pmks_desktop.services.duplicates import DuplicateReview
from pmks_desktop.services.enrolment import EnrolmentService
from pmks_desktop.services.erasure import ErasureService
from pmks_desktop.services.exports import ExportService
from pmks_desktop.services.form_overrides import effective_catalogue, effective_forms
from pmks_desktop.services.households import HouseholdService
from pmks_desktop.services.importer import ImportService
from pmks_desktop.services.key_exchange import KeyExchange
from pmks_desktop.services.keyring import KeyringService
from pmks_desktop.services.letter_register import LetterRegister
from pmks_desktop.services.letter_settings import LetterSettingsService
from pmks_desktop.services.letters import LetterService
from pmks_desktop.services.link_notices import LinkNotices
from pmks_desktop.services.office import OfficeService
from pmks_desktop.services.people_exports import PeopleExports
from pmks_desktop.services.people_queries import PeopleQueries
from pmks_desktop.services.person_links import PersonLinks
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.recaps import RecapService
from pmks_desktop.services.register_queries import RegisterQueries
from pmks_desktop.services.registers import RegisterService
from pmks_desktop.services.session import UserSession
from pmks_desktop.services.settings import SettingsService
from pmks_desktop.services.sync_export import SyncExport
from pmks_desktop.services.sync_import import SyncImport
from pmks_desktop.services.sync_receipts import SyncReceipts
from pmks_desktop.services.sync_states import SyncStates
from pmks_desktop.services.users import UserService
from pmks_desktop.storage.database import Database



@dataclass
class AppServices:
    db: Database
    catalogue: Catalogue
    session: UserSession
    users: UserService
    office: OfficeService
    persons: PersonService
    cases: CaseService
    case_queries: CaseQueries
    dashboard: DashboardService
    forms: dict[str, FormSpec]
    settings: SettingsService
    registers: RegisterService
    register_queries: RegisterQueries
    households: HouseholdService
    people: PeopleQueries
    duplicates: DuplicateReview
    person_links: PersonLinks
    link_notices: LinkNotices  # at an office: the hub's decisions about its persons
    exports: ExportService
    importer: ImportService
    people_exports: PeopleExports
    recaps: RecapService
    keyring: KeyringService
    key_exchange: KeyExchange
    letter_settings: LetterSettingsService
    letter_register: LetterRegister
    enrolment: EnrolmentService
    sync_export: SyncExport
    sync_import: SyncImport
    sync_receipts: SyncReceipts
    sync_states: SyncStates
    erasure: ErasureService  # permanent erasure under UU PDP (administrators)
    letters: LetterService = None  # needs the others: set right after construction


def build_services(db: Database, catalogue: Catalogue | None = None,
                   forms: dict[str, FormSpec] | None = None) -> AppServices:
    # The shipped files, or the kabupaten's copies the Dinas Sosial distributed (formulir/).
    catalogue = catalogue or effective_catalogue(db.paths.root)
    forms = forms if forms is not None else effective_forms(db.paths.root)
    session = UserSession()
    office = OfficeService(db, session)
    settings = SettingsService(db, session)
    persons = PersonService(db, session)
    case_queries = CaseQueries(db, session, catalogue)
    registers = RegisterService(db, session, forms, settings)
    register_queries = RegisterQueries(db, session, forms)
    people = PeopleQueries(db, session)
    exports = ExportService(session, case_queries, register_queries, forms, catalogue, db)
    keyring = KeyringService(db, session)
    enrolment = EnrolmentService(db, session, office, keyring)
    sync_export = SyncExport(db, session, office, keyring)
    services = AppServices(
        db=db, catalogue=catalogue, session=session,
        users=UserService(db, session),
        office=office,
        persons=persons,
        cases=CaseService(db, session, catalogue),
        case_queries=case_queries,
        dashboard=DashboardService(db, session, catalogue),
        forms=forms, settings=settings,
        registers=registers,
        register_queries=register_queries,
        households=HouseholdService(db, session, office.known_kabupaten),
        people=people,
        duplicates=DuplicateReview(db, session),
        person_links=PersonLinks(db, session),
        link_notices=LinkNotices(db, session),
        exports=exports,
        importer=ImportService(db, session, persons, registers, forms, settings),
        people_exports=PeopleExports(session, people, exports),
        recaps=RecapService(db, session, catalogue, forms, office),
        keyring=keyring,
        key_exchange=KeyExchange(db, session, office, keyring),
        letter_settings=LetterSettingsService(
            db, session, lambda: office.office().kecamatan_name or ""),
        letter_register=LetterRegister(db, session, office, keyring),
        enrolment=enrolment,
        sync_export=sync_export,
        sync_states=SyncStates(db, office, sync_export),
        sync_import=SyncImport(db, session, enrolment),
        sync_receipts=SyncReceipts(db, session, office, keyring, enrolment),
        erasure=ErasureService(db, session),
    )
    services.letters = LetterService(services)
    # A backup from before an erasure may have been restored: erase again (services/
    # erasure_marks.py) before anyone can see the person.
    services.erasure.reapply_recorded()
    return services
