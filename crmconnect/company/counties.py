"""Romanian counties by ISO 3166-2:RO code (the code CIUS-RO requires) and Bucharest sectors."""

BUCHAREST = "RO-B"

COUNTIES = {
    "RO-AB": "Alba", "RO-AR": "Arad", "RO-AG": "Argeș", "RO-BC": "Bacău", "RO-BH": "Bihor",
    "RO-BN": "Bistrița-Năsăud", "RO-BT": "Botoșani", "RO-BV": "Brașov", "RO-BR": "Brăila",
    "RO-B": "București", "RO-BZ": "Buzău", "RO-CS": "Caraș-Severin", "RO-CL": "Călărași",
    "RO-CJ": "Cluj", "RO-CT": "Constanța", "RO-CV": "Covasna", "RO-DB": "Dâmbovița",
    "RO-DJ": "Dolj", "RO-GL": "Galați", "RO-GR": "Giurgiu", "RO-GJ": "Gorj",
    "RO-HR": "Harghita", "RO-HD": "Hunedoara", "RO-IL": "Ialomița", "RO-IS": "Iași",
    "RO-IF": "Ilfov", "RO-MM": "Maramureș", "RO-MH": "Mehedinți", "RO-MS": "Mureș",
    "RO-NT": "Neamț", "RO-OT": "Olt", "RO-PH": "Prahova", "RO-SM": "Satu Mare",
    "RO-SJ": "Sălaj", "RO-SB": "Sibiu", "RO-SV": "Suceava", "RO-TR": "Teleorman",
    "RO-TM": "Timiș", "RO-TL": "Tulcea", "RO-VS": "Vaslui", "RO-VL": "Vâlcea",
    "RO-VN": "Vrancea",
}

COUNTY_CHOICES = sorted(COUNTIES.items(), key=lambda item: item[1])

SECTOR_CHOICES = [(f"SECTOR{n}", f"Sector {n}") for n in range(1, 7)]
