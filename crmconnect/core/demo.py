"""Demo data for `manage.py seed_demo`: one member of staff per role, two teams, the company's
own identity and a portfolio of Romanian client companies with contacts and tasks.

Every row is looked up by its natural key (username, team name, client CUI, contact email,
task title and assignee) before it is created, so seeding twice adds nothing the second time
and never overwrites what someone changed in the application since."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from schwifty import IBAN
from stdnum.ro import cui as ro_cui

from crmconnect.activity.models import Task
from crmconnect.activity.services import activity_record
from crmconnect.clients.models import Client, ClientGroup, Contact
from crmconnect.company.models import CompanySettings
from crmconnect.staff import roles
from crmconnect.staff.models import Team, User

DEMO_PASSWORD = "demo12345!"  # noqa: S105 (printed for the demo logins on purpose)
EMAIL_DOMAIN = "crmconnect.example.com"

BANKS = {
    "BTRL": "Banca Transilvania",
    "RNCB": "BCR",
    "BRDE": "BRD - Groupe Société Générale",
    "INGB": "ING Bank",
    "RZBR": "Raiffeisen Bank",
    "CECE": "CEC Bank",
}


def valid_cui(base):
    """A Romanian CUI: `base` (up to 9 digits) followed by its check digit."""
    digits = str(base)
    return digits + ro_cui.calc_check_digit(digits)


def valid_iban(bank_code, account_number):
    """A Romanian IBAN of `bank_code` whose 16-character account part is `account_number`."""
    return str(IBAN.generate("RO", bank_code=bank_code, account_code=f"{account_number:016d}"))


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    job_title: str
    team: str = ""


TEAM_CLUJ = "Sales Team Cluj"
TEAM_BUCHAREST = "Sales Team București"

USERS = [
    DemoUser("admin", roles.ADMINISTRATOR, "Ioana", "Marinescu", "Administrator"),
    DemoUser("sdr", roles.SDR, "Radu", "Pop", "Sales Development Representative", TEAM_CLUJ),
    DemoUser("agent", roles.SALES_AGENT, "Andrei", "Mureșan", "Sales Agent", TEAM_CLUJ),
    DemoUser("am", roles.ACCOUNT_MANAGER, "Elena", "Stan", "Account Manager", TEAM_CLUJ),
    DemoUser("kam", roles.KEY_ACCOUNT_MANAGER, "Mihai", "Dumitrescu", "Key Account Manager",
             TEAM_BUCHAREST),
    DemoUser("manager", roles.SALES_MANAGER, "Cristina", "Popescu", "Sales Manager",
             TEAM_CLUJ),
    DemoUser("salesadmin", roles.SALES_ADMIN, "Alexandra", "Ionescu", "Sales Admin",
             TEAM_BUCHAREST),
    DemoUser("finance", roles.FINANCE, "Gabriel", "Constantin", "Finance Officer",
             TEAM_BUCHAREST),
]
TEAM_LEADERS = {TEAM_CLUJ: "manager", TEAM_BUCHAREST: "kam"}

GROUPS = {
    "logistics": ("Logistics & Transport", "Carriers, forwarders and warehouses"),
    "software": ("Software & IT", "Software houses, integrators and IT services"),
    "industry": ("Manufacturing", "Factories and industrial suppliers"),
    "retail": ("Retail & Distribution", "Wholesalers, distributors and shops"),
    "services": ("Professional Services", "Consulting, healthcare, tourism and media"),
    "energy": ("Energy & Agriculture", "Energy producers, farms and food processors"),
}


@dataclass(frozen=True)
class DemoClient:
    name: str
    cui_base: int
    reg_com: str
    street: str
    city: str
    county: str
    postal_code: str
    group: str
    owner: str
    bank: str
    contacts: tuple
    sector: str = ""
    vat_payer: bool = True
    phone: str = ""


# (first name, last name, position); the first contact of each client is its primary one.
CLIENTS = [
    DemoClient("Transilvania Logistic SRL", 1854729, "J12/2431/2006", "Str. Fabricii 12",
               "Cluj-Napoca", "RO-CJ", "400632", "logistics", "agent", "BTRL",
               (("Vlad", "Moldovan", "General Manager"),
                ("Simona", "Rus", "Procurement Manager")), phone="+40 264 431 200"),
    DemoClient("Carpați Software SRL", 3012457, "J08/1187/2012", "Str. Lungă 45", "Brașov",
               "RO-BV", "500035", "software", "am", "INGB",
               (("Bogdan", "Neagu", "CEO"), ("Ana", "Toma", "Office Manager"),
                ("Paul", "Enache", "CTO")), phone="+40 268 412 090"),
    DemoClient("Dunărea Agro SA", 2204166, "J09/88/1991", "Str. Dunării 3", "Brăila", "RO-BR",
               "810001", "energy", "kam", "BRDE",
               (("Florin", "Stoica", "Director General"),
                ("Mirela", "Vasile", "Chief Financial Officer")), phone="+40 239 611 455"),
    DemoClient("Bega Construct SRL", 1665413, "J35/4410/2004", "Bd. Revoluției 1989 nr. 8",
               "Timișoara", "RO-TM", "300024", "industry", "agent", "RZBR",
               (("Sorin", "Lazăr", "Administrator"),), phone="+40 256 220 731"),
    DemoClient("Moldova Mobila SRL", 3318875, "J22/905/2013", "Șos. Păcurari 120", "Iași",
               "RO-IS", "700511", "industry", "am", "BTRL",
               (("Irina", "Ciobanu", "Sales Director"), ("Dan", "Munteanu", "Buyer")),
               phone="+40 232 257 600"),
    DemoClient("Litoral Turism SRL", 2870214, "J13/1502/2010", "Bd. Mamaia 210", "Constanța",
               "RO-CT", "900552", "services", "agent", "CECE",
               (("Adrian", "Zamfir", "Managing Partner"),), vat_payer=False),
    DemoClient("Lactate Someș SRL", 1407738, "J30/311/2001", "Str. Careiului 28", "Satu Mare",
               "RO-SM", "440014", "energy", "am", "RNCB",
               (("Monica", "Pintea", "Purchasing Manager"), ("Ciprian", "Bud", "Plant Manager")),
               phone="+40 261 711 320"),
    DemoClient("Herăstrău Consulting SRL", 3950112, "J40/10233/2016", "Șos. Nordului 22",
               "București", "RO-B", "014104", "services", "kam", "INGB",
               (("Alina", "Georgescu", "Partner"), ("Victor", "Nistor", "Office Manager")),
               sector="SECTOR1", phone="+40 21 312 45 67"),
    DemoClient("Tineretului Media SRL", 4102383, "J40/5512/2018", "Bd. Tineretului 5",
               "București", "RO-B", "040315", "services", "agent", "BRDE",
               (("Oana", "Dobre", "Marketing Director"),), sector="SECTOR4", vat_payer=False),
    DemoClient("Olt Metal Industries SA", 1288504, "J28/64/1994", "Str. Pitești 110", "Slatina",
               "RO-OT", "230070", "industry", "kam", "RNCB",
               (("Gheorghe", "Radu", "Technical Director"),
                ("Laura", "Iordache", "Procurement Specialist")), phone="+40 249 436 810"),
    DemoClient("Argeș Auto Parts SRL", 2543308, "J03/1422/2009", "Str. Exercițiu 35",
               "Pitești", "RO-AG", "110438", "industry", "am", "BTRL",
               (("Cosmin", "Ene", "Supply Chain Manager"),), phone="+40 248 211 903"),
    DemoClient("Cibin Pharma SRL", 3677291, "J32/876/2015", "Str. Cibinului 4", "Sibiu",
               "RO-SB", "550324", "services", "kam", "RZBR",
               (("Diana", "Hațegan", "Pharmacist in Chief"), ("Marius", "Oprea", "Logistics")),
               phone="+40 269 230 118"),
    DemoClient("Mureș Energie Verde SRL", 4235560, "J26/1139/2019", "Str. Gheorghe Doja 64",
               "Târgu Mureș", "RO-MS", "540146", "energy", "agent", "BTRL",
               (("Levente", "Szabó", "Project Manager"),)),
    DemoClient("Crișana Food Distribution SRL", 1976641, "J05/2210/2007", "Calea Aradului 80",
               "Oradea", "RO-BH", "410223", "retail", "am", "BRDE",
               (("Raluca", "Tripon", "Category Manager"), ("Ovidiu", "Sabău", "Director")),
               phone="+40 259 470 522"),
    DemoClient("Oltenia Green Farms SRL", 3455029, "J16/1964/2014", "Calea București 55",
               "Craiova", "RO-DJ", "200440", "energy", "agent", "CECE",
               (("Nicolae", "Bălan", "Farm Manager"),), vat_payer=False),
    DemoClient("Bucovina Wood SRL", 2698873, "J33/733/2010", "Str. Universității 30",
               "Suceava", "RO-SV", "720229", "industry", "kam", "RNCB",
               (("Petru", "Hrițcu", "Export Manager"), ("Carmen", "Leonte", "Accountant")),
               phone="+40 230 522 147"),
    DemoClient("Maramureș Tradițional SRL", 4417804, "J24/402/2021", "Bd. București 12",
               "Baia Mare", "RO-MM", "430012", "retail", "agent", "BTRL",
               (("Maria", "Pop", "Owner"),), vat_payer=False),
    DemoClient("Prahova Petroservice SA", 1121390, "J29/12/1991", "Str. Mihai Bravu 230",
               "Ploiești", "RO-PH", "100410", "energy", "kam", "INGB",
               (("Emil", "Constantinescu", "Procurement Director"),
                ("Ramona", "Anghel", "Legal Counsel"), ("Tudor", "Badea", "Maintenance Lead")),
               phone="+40 244 502 300"),
    DemoClient("Ilfov Smart Logistics SRL", 3789046, "J23/3310/2017", "Calea Bucureștilor 1",
               "Otopeni", "RO-IF", "075100", "logistics", "am", "RZBR",
               (("Silviu", "Marin", "Operations Manager"),), phone="+40 21 350 11 20"),
    DemoClient("Pipera Tech Hub SRL", 4051718, "J40/18321/2018", "Bd. Dimitrie Pompeiu 9",
               "București", "RO-B", "020335", "software", "kam", "INGB",
               (("Andreea", "Stănescu", "Head of IT"), ("Robert", "Matei", "CFO")),
               sector="SECTOR2", phone="+40 31 425 77 00"),
    DemoClient("Ardeal Medical Clinic SRL", 2987455, "J01/664/2011", "Bd. Transilvaniei 20",
               "Alba Iulia", "RO-AB", "510009", "services", "agent", "BTRL",
               (("Corina", "Avram", "Medical Director"),), phone="+40 258 811 434"),
]

COMPANY = {
    "legal_name": "Nord Consult Solutions SRL",
    "cui": "RO" + valid_cui(3890417),
    "reg_com": "J40/7315/2017",
    "vat_payer": True,
    "bank_name": BANKS["BTRL"],
    "iban": valid_iban("BTRL", 3890417001),
    "email": f"office@{EMAIL_DOMAIN}",
    "phone": "+40 21 555 01 00",
    "street": "Str. Academiei 35",
    "city": "București",
    "county": "RO-B",
    "sector": "SECTOR1",
    "postal_code": "010013",
}

# (title, client name, days from today): the agent's follow-ups, some overdue, some today.
AGENT_TASKS = [
    ("Call about the contract renewal", "Transilvania Logistic SRL", 0),
    ("Send the revised offer", "Bega Construct SRL", -3),
    ("Confirm delivery window for the new order", "Litoral Turism SRL", -1),
    ("Prepare the meeting agenda", "Mureș Energie Verde SRL", 0),
    ("Follow up on the pilot feedback", "Oltenia Green Farms SRL", 2),
    ("Introduce the maintenance plan", "Ardeal Medical Clinic SRL", 7),
]


def client_domain(name):
    words = [w for w in slugify(name).split("-") if w not in ("srl", "sa")]
    return "-".join(words) + ".example.ro"


def client_cui(spec):
    digits = valid_cui(spec.cui_base)
    return f"RO{digits}" if spec.vat_payer else digits


@transaction.atomic
def seed_demo():
    """Create what is missing of the demo data set; return {model label: rows created}."""
    created = {"users": 0, "teams": 0, "groups": 0, "clients": 0, "contacts": 0, "tasks": 0}
    users = _seed_users(created)
    admin = users["admin"]
    _seed_company()
    groups = {}
    for key, (name, description) in GROUPS.items():
        groups[key], new = ClientGroup.objects.get_or_create(
            name=name, defaults={"description": description})
        created["groups"] += new
    clients = {}
    for spec in CLIENTS:
        clients[spec.name] = _seed_client(spec, groups, users, admin, created)
    _seed_tasks(users["agent"], admin, clients, created)
    return created


def _seed_users(created):
    teams = {}
    for name in (TEAM_CLUJ, TEAM_BUCHAREST):
        teams[name], new = Team.objects.get_or_create(name=name)
        created["teams"] += new
    users = {}
    for spec in USERS:
        user, new = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "email": f"{spec.username}@{EMAIL_DOMAIN}", "first_name": spec.first_name,
                "last_name": spec.last_name, "job_title": spec.job_title,
                "team": teams.get(spec.team),
                "is_staff": spec.role == roles.ADMINISTRATOR,
                "is_superuser": spec.role == roles.ADMINISTRATOR,
            },
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=spec.role))
            created["users"] += 1
        users[spec.username] = user
    for team_name, username in TEAM_LEADERS.items():
        team = teams[team_name]
        if team.leader_id is None:
            team.leader = users[username]
            team.save(update_fields=["leader"])
    return users


def _seed_company():
    company = CompanySettings.load()
    if company.legal_name:
        return
    for field, value in COMPANY.items():
        setattr(company, field, value)
    company.mail_from = COMPANY["email"]
    company.save()


def _seed_client(spec, groups, users, admin, created):
    domain = client_domain(spec.name)
    client, new = Client.objects.get_or_create(
        cui=client_cui(spec),
        defaults={
            "name": spec.name, "kind": Client.Kind.COMPANY, "vat_payer": spec.vat_payer,
            "vat_regime": Client.VatRegime.NORMAL if spec.vat_payer else Client.VatRegime.EXEMPT,
            "reg_com": spec.reg_com, "street": spec.street, "city": spec.city,
            "county": spec.county, "sector": spec.sector, "postal_code": spec.postal_code,
            "iban": valid_iban(spec.bank, spec.cui_base * 1000 + 1),
            "bank_name": BANKS[spec.bank], "email": f"office@{domain}", "phone": spec.phone,
            "website": f"https://www.{domain}", "group": groups[spec.group],
            "owner": users[spec.owner], "created_by": admin,
        },
    )
    if new:
        created["clients"] += 1
        activity_record(actor=admin, event="client.created", record=client,
                        description=f"Client {client.name} created")
    has_primary = client.contacts.filter(is_primary=True).exists()
    for first_name, last_name, position in spec.contacts:
        email = f"{slugify(first_name)}.{slugify(last_name)}@{domain}"
        contact, new = Contact.objects.get_or_create(
            client=client, email=email,
            defaults={"first_name": first_name, "last_name": last_name, "position": position,
                      "phone": spec.phone, "is_primary": not has_primary},
        )
        has_primary = has_primary or contact.is_primary
        created["contacts"] += new
    return client


def _seed_tasks(agent, admin, clients, created):
    today = timezone.localdate()
    client_type = ContentType.objects.get_for_model(Client)
    for title, client_name, days in AGENT_TASKS:
        client = clients[client_name]
        _, new = Task.objects.get_or_create(
            title=f"{title} ({client.name})", assignee=agent,
            defaults={"due_date": today + timedelta(days=days), "created_by": admin,
                      "content_type": client_type, "object_id": client.pk, "client": client},
        )
        created["tasks"] += new


def logins_table():
    """The demo logins as lines of text, for the console."""
    width = max(len(spec.username) for spec in USERS)
    lines = [f"  {'username'.ljust(width)}  role", f"  {'-' * width}  {'-' * 20}"]
    lines += [f"  {spec.username.ljust(width)}  {spec.role}" for spec in USERS]
    lines.append(f"  password for every demo user: {DEMO_PASSWORD}")
    return lines
