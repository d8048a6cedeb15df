package store

import (
	"slices"
	"strings"
	"sync"
)

// Country is an ISO 3166-1 country (or a historical state or entity that appears in diplomatic records).
type Country struct {
	Alpha3     string // "NGA"
	Alpha2     string // "NG"; empty for historical entries without one
	Name       string // English short name, "Nigeria"
	Historical bool   // no longer exists (Yugoslavia, USSR...), or is not an ISO 3166-1 country (European Union)
}

// countryTable holds every entry, current ISO 3166-1 entries first in alpha-3 order, then the
// historical ones. The alpha-2 and alpha-3 codes are the official ISO 3166-1 ones (ISO 3166-3
// for the historical states); names are common English short names, one per entry.
var countryTable = []Country{
	{"ABW", "AW", "Aruba", false},
	{"AFG", "AF", "Afghanistan", false},
	{"AGO", "AO", "Angola", false},
	{"AIA", "AI", "Anguilla", false},
	{"ALA", "AX", "Åland Islands", false},
	{"ALB", "AL", "Albania", false},
	{"AND", "AD", "Andorra", false},
	{"ARE", "AE", "United Arab Emirates", false},
	{"ARG", "AR", "Argentina", false},
	{"ARM", "AM", "Armenia", false},
	{"ASM", "AS", "American Samoa", false},
	{"ATA", "AQ", "Antarctica", false},
	{"ATF", "TF", "French Southern Territories", false},
	{"ATG", "AG", "Antigua and Barbuda", false},
	{"AUS", "AU", "Australia", false},
	{"AUT", "AT", "Austria", false},
	{"AZE", "AZ", "Azerbaijan", false},
	{"BDI", "BI", "Burundi", false},
	{"BEL", "BE", "Belgium", false},
	{"BEN", "BJ", "Benin", false},
	{"BES", "BQ", "Bonaire, Sint Eustatius and Saba", false},
	{"BFA", "BF", "Burkina Faso", false},
	{"BGD", "BD", "Bangladesh", false},
	{"BGR", "BG", "Bulgaria", false},
	{"BHR", "BH", "Bahrain", false},
	{"BHS", "BS", "Bahamas", false},
	{"BIH", "BA", "Bosnia and Herzegovina", false},
	{"BLM", "BL", "Saint Barthélemy", false},
	{"BLR", "BY", "Belarus", false},
	{"BLZ", "BZ", "Belize", false},
	{"BMU", "BM", "Bermuda", false},
	{"BOL", "BO", "Bolivia", false},
	{"BRA", "BR", "Brazil", false},
	{"BRB", "BB", "Barbados", false},
	{"BRN", "BN", "Brunei", false},
	{"BTN", "BT", "Bhutan", false},
	{"BVT", "BV", "Bouvet Island", false},
	{"BWA", "BW", "Botswana", false},
	{"CAF", "CF", "Central African Republic", false},
	{"CAN", "CA", "Canada", false},
	{"CCK", "CC", "Cocos (Keeling) Islands", false},
	{"CHE", "CH", "Switzerland", false},
	{"CHL", "CL", "Chile", false},
	{"CHN", "CN", "China", false},
	{"CIV", "CI", "Côte d'Ivoire", false},
	{"CMR", "CM", "Cameroon", false},
	{"COD", "CD", "Democratic Republic of the Congo", false},
	{"COG", "CG", "Congo", false},
	{"COK", "CK", "Cook Islands", false},
	{"COL", "CO", "Colombia", false},
	{"COM", "KM", "Comoros", false},
	{"CPV", "CV", "Cabo Verde", false},
	{"CRI", "CR", "Costa Rica", false},
	{"CUB", "CU", "Cuba", false},
	{"CUW", "CW", "Curaçao", false},
	{"CXR", "CX", "Christmas Island", false},
	{"CYM", "KY", "Cayman Islands", false},
	{"CYP", "CY", "Cyprus", false},
	{"CZE", "CZ", "Czechia", false},
	{"DEU", "DE", "Germany", false},
	{"DJI", "DJ", "Djibouti", false},
	{"DMA", "DM", "Dominica", false},
	{"DNK", "DK", "Denmark", false},
	{"DOM", "DO", "Dominican Republic", false},
	{"DZA", "DZ", "Algeria", false},
	{"ECU", "EC", "Ecuador", false},
	{"EGY", "EG", "Egypt", false},
	{"ERI", "ER", "Eritrea", false},
	{"ESH", "EH", "Western Sahara", false},
	{"ESP", "ES", "Spain", false},
	{"EST", "EE", "Estonia", false},
	{"ETH", "ET", "Ethiopia", false},
	{"FIN", "FI", "Finland", false},
	{"FJI", "FJ", "Fiji", false},
	{"FLK", "FK", "Falkland Islands", false},
	{"FRA", "FR", "France", false},
	{"FRO", "FO", "Faroe Islands", false},
	{"FSM", "FM", "Micronesia", false},
	{"GAB", "GA", "Gabon", false},
	{"GBR", "GB", "United Kingdom", false},
	{"GEO", "GE", "Georgia", false},
	{"GGY", "GG", "Guernsey", false},
	{"GHA", "GH", "Ghana", false},
	{"GIB", "GI", "Gibraltar", false},
	{"GIN", "GN", "Guinea", false},
	{"GLP", "GP", "Guadeloupe", false},
	{"GMB", "GM", "Gambia", false},
	{"GNB", "GW", "Guinea-Bissau", false},
	{"GNQ", "GQ", "Equatorial Guinea", false},
	{"GRC", "GR", "Greece", false},
	{"GRD", "GD", "Grenada", false},
	{"GRL", "GL", "Greenland", false},
	{"GTM", "GT", "Guatemala", false},
	{"GUF", "GF", "French Guiana", false},
	{"GUM", "GU", "Guam", false},
	{"GUY", "GY", "Guyana", false},
	{"HKG", "HK", "Hong Kong", false},
	{"HMD", "HM", "Heard Island and McDonald Islands", false},
	{"HND", "HN", "Honduras", false},
	{"HRV", "HR", "Croatia", false},
	{"HTI", "HT", "Haiti", false},
	{"HUN", "HU", "Hungary", false},
	{"IDN", "ID", "Indonesia", false},
	{"IMN", "IM", "Isle of Man", false},
	{"IND", "IN", "India", false},
	{"IOT", "IO", "British Indian Ocean Territory", false},
	{"IRL", "IE", "Ireland", false},
	{"IRN", "IR", "Iran", false},
	{"IRQ", "IQ", "Iraq", false},
	{"ISL", "IS", "Iceland", false},
	{"ISR", "IL", "Israel", false},
	{"ITA", "IT", "Italy", false},
	{"JAM", "JM", "Jamaica", false},
	{"JEY", "JE", "Jersey", false},
	{"JOR", "JO", "Jordan", false},
	{"JPN", "JP", "Japan", false},
	{"KAZ", "KZ", "Kazakhstan", false},
	{"KEN", "KE", "Kenya", false},
	{"KGZ", "KG", "Kyrgyzstan", false},
	{"KHM", "KH", "Cambodia", false},
	{"KIR", "KI", "Kiribati", false},
	{"KNA", "KN", "Saint Kitts and Nevis", false},
	{"KOR", "KR", "South Korea", false},
	{"KWT", "KW", "Kuwait", false},
	{"LAO", "LA", "Laos", false},
	{"LBN", "LB", "Lebanon", false},
	{"LBR", "LR", "Liberia", false},
	{"LBY", "LY", "Libya", false},
	{"LCA", "LC", "Saint Lucia", false},
	{"LIE", "LI", "Liechtenstein", false},
	{"LKA", "LK", "Sri Lanka", false},
	{"LSO", "LS", "Lesotho", false},
	{"LTU", "LT", "Lithuania", false},
	{"LUX", "LU", "Luxembourg", false},
	{"LVA", "LV", "Latvia", false},
	{"MAC", "MO", "Macao", false},
	{"MAF", "MF", "Saint Martin (French part)", false},
	{"MAR", "MA", "Morocco", false},
	{"MCO", "MC", "Monaco", false},
	{"MDA", "MD", "Moldova", false},
	{"MDG", "MG", "Madagascar", false},
	{"MDV", "MV", "Maldives", false},
	{"MEX", "MX", "Mexico", false},
	{"MHL", "MH", "Marshall Islands", false},
	{"MKD", "MK", "North Macedonia", false},
	{"MLI", "ML", "Mali", false},
	{"MLT", "MT", "Malta", false},
	{"MMR", "MM", "Myanmar", false},
	{"MNE", "ME", "Montenegro", false},
	{"MNG", "MN", "Mongolia", false},
	{"MNP", "MP", "Northern Mariana Islands", false},
	{"MOZ", "MZ", "Mozambique", false},
	{"MRT", "MR", "Mauritania", false},
	{"MSR", "MS", "Montserrat", false},
	{"MTQ", "MQ", "Martinique", false},
	{"MUS", "MU", "Mauritius", false},
	{"MWI", "MW", "Malawi", false},
	{"MYS", "MY", "Malaysia", false},
	{"MYT", "YT", "Mayotte", false},
	{"NAM", "NA", "Namibia", false},
	{"NCL", "NC", "New Caledonia", false},
	{"NER", "NE", "Niger", false},
	{"NFK", "NF", "Norfolk Island", false},
	{"NGA", "NG", "Nigeria", false},
	{"NIC", "NI", "Nicaragua", false},
	{"NIU", "NU", "Niue", false},
	{"NLD", "NL", "Netherlands", false},
	{"NOR", "NO", "Norway", false},
	{"NPL", "NP", "Nepal", false},
	{"NRU", "NR", "Nauru", false},
	{"NZL", "NZ", "New Zealand", false},
	{"OMN", "OM", "Oman", false},
	{"PAK", "PK", "Pakistan", false},
	{"PAN", "PA", "Panama", false},
	{"PCN", "PN", "Pitcairn", false},
	{"PER", "PE", "Peru", false},
	{"PHL", "PH", "Philippines", false},
	{"PLW", "PW", "Palau", false},
	{"PNG", "PG", "Papua New Guinea", false},
	{"POL", "PL", "Poland", false},
	{"PRI", "PR", "Puerto Rico", false},
	{"PRK", "KP", "North Korea", false},
	{"PRT", "PT", "Portugal", false},
	{"PRY", "PY", "Paraguay", false},
	{"PSE", "PS", "Palestine", false},
	{"PYF", "PF", "French Polynesia", false},
	{"QAT", "QA", "Qatar", false},
	{"REU", "RE", "Réunion", false},
	{"ROU", "RO", "Romania", false},
	{"RUS", "RU", "Russia", false},
	{"RWA", "RW", "Rwanda", false},
	{"SAU", "SA", "Saudi Arabia", false},
	{"SDN", "SD", "Sudan", false},
	{"SEN", "SN", "Senegal", false},
	{"SGP", "SG", "Singapore", false},
	{"SGS", "GS", "South Georgia and the South Sandwich Islands", false},
	{"SHN", "SH", "Saint Helena, Ascension and Tristan da Cunha", false},
	{"SJM", "SJ", "Svalbard and Jan Mayen", false},
	{"SLB", "SB", "Solomon Islands", false},
	{"SLE", "SL", "Sierra Leone", false},
	{"SLV", "SV", "El Salvador", false},
	{"SMR", "SM", "San Marino", false},
	{"SOM", "SO", "Somalia", false},
	{"SPM", "PM", "Saint Pierre and Miquelon", false},
	{"SRB", "RS", "Serbia", false},
	{"SSD", "SS", "South Sudan", false},
	{"STP", "ST", "Sao Tome and Principe", false},
	{"SUR", "SR", "Suriname", false},
	{"SVK", "SK", "Slovakia", false},
	{"SVN", "SI", "Slovenia", false},
	{"SWE", "SE", "Sweden", false},
	{"SWZ", "SZ", "Eswatini", false},
	{"SXM", "SX", "Sint Maarten (Dutch part)", false},
	{"SYC", "SC", "Seychelles", false},
	{"SYR", "SY", "Syria", false},
	{"TCA", "TC", "Turks and Caicos Islands", false},
	{"TCD", "TD", "Chad", false},
	{"TGO", "TG", "Togo", false},
	{"THA", "TH", "Thailand", false},
	{"TJK", "TJ", "Tajikistan", false},
	{"TKL", "TK", "Tokelau", false},
	{"TKM", "TM", "Turkmenistan", false},
	{"TLS", "TL", "Timor-Leste", false},
	{"TON", "TO", "Tonga", false},
	{"TTO", "TT", "Trinidad and Tobago", false},
	{"TUN", "TN", "Tunisia", false},
	{"TUR", "TR", "Türkiye", false},
	{"TUV", "TV", "Tuvalu", false},
	{"TWN", "TW", "Taiwan", false},
	{"TZA", "TZ", "Tanzania", false},
	{"UGA", "UG", "Uganda", false},
	{"UKR", "UA", "Ukraine", false},
	{"UMI", "UM", "United States Minor Outlying Islands", false},
	{"URY", "UY", "Uruguay", false},
	{"USA", "US", "United States", false},
	{"UZB", "UZ", "Uzbekistan", false},
	{"VAT", "VA", "Holy See", false},
	{"VCT", "VC", "Saint Vincent and the Grenadines", false},
	{"VEN", "VE", "Venezuela", false},
	{"VGB", "VG", "British Virgin Islands", false},
	{"VIR", "VI", "United States Virgin Islands", false},
	{"VNM", "VN", "Viet Nam", false},
	{"VUT", "VU", "Vanuatu", false},
	{"WLF", "WF", "Wallis and Futuna", false},
	{"WSM", "WS", "Samoa", false},
	{"YEM", "YE", "Yemen", false},
	{"ZAF", "ZA", "South Africa", false},
	{"ZMB", "ZM", "Zambia", false},
	{"ZWE", "ZW", "Zimbabwe", false},

	// Not current ISO 3166-1 entries, found in the UN General Debate corpus.
	{"CSK", "CS", "Czechoslovakia", true},
	{"DDR", "DD", "German Democratic Republic", true},
	{"EU", "EU", "European Union", true},
	{"YMD", "YD", "South Yemen", true},
	{"YUG", "YU", "Yugoslavia", true},
}

// countryIndex is countryTable sorted by name, with a lookup map from every normalised alpha-3
// code, alpha-2 code and name to a position in the sorted slice.
type countryIndex struct {
	sorted []Country
	byKey  map[string]int
}

var countryIdx = sync.OnceValue(func() countryIndex {
	sorted := slices.Clone(countryTable)
	slices.SortFunc(sorted, func(a, b Country) int { return compareCountryNames(a.Name, b.Name) })
	byKey := make(map[string]int, 3*len(sorted))
	for i, c := range sorted {
		for _, k := range []string{c.Alpha3, c.Alpha2, c.Name} {
			if k == "" {
				continue
			}
			k = countryKey(k)
			if j, dup := byKey[k]; dup && j != i {
				panic("store: country key " + k + " is shared by " + sorted[j].Alpha3 + " and " + c.Alpha3)
			}
			byKey[k] = i
		}
	}
	return countryIndex{sorted: sorted, byKey: byKey}
})

// Countries returns every country, sorted by Name (a copy the caller may change).
// Names are compared as a reader expects, ignoring case and accents ("Côte d'Ivoire" comes
// right after "Costa Rica", "Åland Islands" after "Afghanistan").
func Countries() []Country {
	return slices.Clone(countryIdx().sorted)
}

// LookupCountry finds a country by alpha-3 code, alpha-2 code (case-insensitive) or by exact
// English name (case-insensitive). ok is false when nothing matches. Leading and trailing
// white space in s is ignored.
func LookupCountry(s string) (c Country, ok bool) {
	idx := countryIdx()
	i, ok := idx.byKey[countryKey(s)]
	if !ok {
		return Country{}, false
	}
	return idx.sorted[i], true
}

// countryKey normalises a code or name for the lookup map.
func countryKey(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// foldAccents maps the accented Latin letters used in country names to their base letters.
var foldAccents = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a",
	"ç", "c",
	"è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n",
	"ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u",
	"ý", "y", "ÿ", "y",
)

// compareCountryNames orders names ignoring case and accents, falling back on the exact bytes
// so that the order is total.
func compareCountryNames(a, b string) int {
	if c := strings.Compare(foldAccents.Replace(strings.ToLower(a)), foldAccents.Replace(strings.ToLower(b))); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
