package gen

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The mappings World writes: one dataset for the registry, one for each extract.
// Registry firms get ids from firm_id (prefix world-firm), persons from person_id,
// government bodies from gov_id, so that directorships and ownership edges point at
// them; each extract's records are Firm entities of their own (prefix world-SOURCE),
// for resolution to cluster.

const registryMapping = `# The registry of a synthetic world written by '{command}'.
# Firms, foreign shareholders, persons, government bodies, directorships and
# ownership edges; truth/records.csv is not read.
dataset:
  name: world-registry
  title: Synthetic firm registry (cipmap gen world)
  source: {command}
  licence: CC0-1.0
parts:
  - source: {path: registry/firms.csv, format: csv, encoding: utf-8}
    entities:
      - key: firm
        schema: Firm
        id: {columns: [firm_id], prefix: world-firm}
        properties:
          name: {column: name, lang: zh}
          name_en: {column: name_en, lang: en}
          short_name: {column: short_name, lang: zh}
          previous_name: {column: previous_name, lang: zh}
          uscc: uscc
          stock_code: stock_code
          legal_form: legal_form
          founded: founded
          region: region
          province: province
          city: city
          district: district
          address: address
          legal_representative: legal_representative
          registered_capital: {column: registered_capital, type: money, currency: CNY}
          industry: industry
  - source: {path: registry/foreign_firms.csv, format: csv, encoding: utf-8}
    entities:
      - key: firm
        schema: Firm
        id: {columns: [firm_id], prefix: world-firm}
        properties:
          name: {column: name, lang: en}
          country: country
          founded: founded
  - source: {path: registry/persons.csv, format: csv, encoding: utf-8}
    entities:
      - key: person
        schema: Person
        id: {columns: [person_id], prefix: world-person}
        properties:
          name: {column: name, lang: zh}
          name_en: {column: name_en, lang: en}
          gender: gender
          birth_date: birth_year
  - source: {path: registry/gov_bodies.csv, format: csv, encoding: utf-8}
    entities:
      - key: gov
        schema: GovBody
        id: {columns: [gov_id], prefix: world-gov}
        properties:
          name: {column: name, lang: zh}
          short_name: {column: short_name, lang: zh}
          name_en: {column: name_en, lang: en}
          level: level
          kind: kind
          parent_name: {column: parent_name, lang: zh}
          region: region
  - source: {path: registry/directorships.csv, format: csv, encoding: utf-8}
    entities:
      - key: person
        schema: Person
        id: {columns: [person_id], prefix: world-person}
      - key: firm
        schema: Firm
        id: {columns: [firm_id], prefix: world-firm}
      - key: directorship
        schema: Directorship
        id: {columns: [person_id, firm_id, role], prefix: world-directorship}
        properties:
          director: {entity: person}
          organization: {entity: firm}
          role: {column: role, lang: zh}
          start_date: start_date
          end_date: end_date
  - source: {path: registry/ownership.csv, format: csv, encoding: utf-8}
    entities:
      - key: owner_firm
        schema: Firm
        id: {columns: [owner_id], prefix: world-firm}
        when: {column: owner_kind, equals: [firm]}
      - key: owner_person
        schema: Person
        id: {columns: [owner_id], prefix: world-person}
        when: {column: owner_kind, equals: [person]}
      - key: owner_gov
        schema: GovBody
        id: {columns: [owner_id], prefix: world-gov}
        when: {column: owner_kind, equals: [gov]}
      - key: asset
        schema: Firm
        id: {columns: [owned_id], prefix: world-firm}
{ownerships}`

const ownershipSpec = `      - key: by_{kind}
        schema: Ownership
        id: {columns: [edge_id], prefix: world-ownership}
        when: {column: owner_kind, equals: [{kind}]}
        properties:
          owner: {entity: owner_{kind}}
          asset: {entity: asset}
          percentage: share
          owner_type: {column: owner_type, lang: zh}
          role: {column: role, lang: zh}
          start_date: start_date
`

// sourceMappings are the entity specs of each extract's mapping.
var sourceMappings = map[string]string{
	"procurement": `          name: supplier
          uscc: {column: supplier_uscc, invalid: drop}
          region: region
`,
	"patents": `          name: applicant
          address: applicant_address
`,
	"investments": `          name: {column: company, lang: zh}
          name_en: {column: company_en, lang: en}
          uscc: {column: uscc, invalid: drop}
          city: city
          founded: {column: founded, invalid: drop}
`,
	"listings": `          name: {column: name_zh, lang: zh}
          name_en: {column: name_en, lang: en}
          short_name: {column: short_name, lang: zh}
          stock_code: {column: stock_code, invalid: drop}
          uscc: {column: uscc, invalid: drop}
          province: province
          founded: {column: founded, invalid: drop}
          legal_representative: legal_representative
`,
}

var sourceTitles = map[string]string{
	"procurement": "Synthetic procurement awards: suppliers (cipmap gen world)",
	"patents":     "Synthetic patent applications: applicants (cipmap gen world)",
	"investments": "Synthetic venture investments: target companies (cipmap gen world)",
	"listings":    "Synthetic listed-company records (cipmap gen world)",
}

const sourceMapping = `# A noisy extract of a synthetic world written by '{command}'.
# Each record is a Firm of its own; truth/records.csv says which firm it is.
dataset:
  name: {dataset}
  title: "{title}"
  source: {command}
  licence: CC0-1.0
source:
  path: sources/{name}.csv
  format: csv
  encoding: utf-8
entities:
  - key: firm
    schema: Firm
    id: {columns: [record_id], prefix: {dataset}}
    properties:
{properties}`

// command is the command line that makes this world.
func (w *world) command() string {
	return "cipmap gen world --firms " + strconv.Itoa(w.opts.Firms) + " --records " + strconv.Itoa(w.opts.Records) +
		" --edges-per-firm " + strconv.FormatFloat(w.opts.EdgesPerFirm, 'g', -1, 64) +
		" --seed " + strconv.FormatInt(w.opts.Seed, 10)
}

// writeMappings writes mapping-registry.yaml and one mapping per extract.
func (w *world) writeMappings() error {
	var owners strings.Builder
	for _, k := range []string{"firm", "person", "gov"} {
		owners.WriteString(strings.ReplaceAll(ownershipSpec, "{kind}", k))
	}
	text := strings.NewReplacer("{command}", w.command(), "{ownerships}", owners.String()).Replace(registryMapping)
	if err := w.writeMapping("mapping-registry.yaml", text); err != nil {
		return err
	}
	for _, st := range w.res.Sources {
		text := strings.NewReplacer("{command}", w.command(), "{dataset}", st.Dataset, "{title}", sourceTitles[st.Name],
			"{name}", st.Name, "{properties}", sourceMappings[st.Name]).Replace(sourceMapping)
		if err := w.writeMapping("mapping-"+st.Name+".yaml", text); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) writeMapping(name, text string) error {
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return err
	}
	w.res.Files = append(w.res.Files, name)
	w.res.Mappings = append(w.res.Mappings, path)
	return nil
}
