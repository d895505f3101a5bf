// Package schema holds cipmap's schemas as data, in the manner of OpenSanctions'
// FollowTheMoney: one YAML file per schema, embedded in the binary, parsed strictly and
// validated by Load.
//
// # Schemas
//
// Entity schemas: Firm, Person, Fund, GovBody, Policy, Program, Patent, Product and
// Country. Relation schemas, which are entities too, with dates and amounts: Ownership,
// Control, Directorship, Investment, Grant, Loan, Contract, Listing, Designation,
// Issuance, Targeting and Provision.
//
// A relation schema is one with an edge (cipmap.Schema.IsEdge): the two entity
// properties that hold its ends. Every relation has one, even where one end is often
// unknown: Listing runs from the firm to the exchange as an entity (exchange_entity),
// Targeting from the policy to a targeted entity (target_entity); when that end is
// missing the relation is still stored and queried through its view, it just draws no
// edge in a graph export. Entity schemas may hold entity properties as well (a
// Program's founding policy, a Product's stage) without being relations.
//
// # File format
//
// A file is named after its schema (Firm.yaml holds Firm) and has these keys, all
// mapped onto cipmap.Schema; any other key is an error:
//
//	name: Firm                          # CamelCase, the file's name
//	label: {en: Firm, zh: 企业}          # both languages required
//	description: A company or ...       # one or two sentences
//	view: firms                         # the SQL view: plural snake_case, not reserved
//	caption: [name, name_en, ...]       # properties whose first value names an entity
//	identifiers: [uscc, lei, ...]       # properties that identify an entity
//	edge:                               # relation schemas only
//	  source: owner
//	  target: asset
//	  label: {en: owns, zh: 持股}
//	properties:
//	  uscc:                             # snake_case English; the key is Property.Name
//	    type: identifier                # one of cipmap.PropertyTypes
//	    format: uscc                    # identifiers and codes: the check or code system
//	    label: {en: ..., zh: ...}
//	    range: LegalEntity              # entity properties only
//	    required: true                  # the entity makes no sense without it
//	    description: ...                # when the label is not enough
//
// The range of an entity property is a schema name, LegalEntity (any of
// cipmap.LegalEntitySchemas: Firm, Person, Fund, GovBody) or Any (any schema, for
// Provision's provider, which is a Firm or a Country).
//
// Required marks only the ends without which a relation means nothing (an Ownership
// needs its owner and its asset). Names are not required: a registry extract may name
// a firm by its unified social credit code alone, and relation files often mention an
// entity by id without its properties.
//
// Property names must not be SQL reserved words, nor the columns every view adds (id,
// datasets, first_seen, last_seen), so that researchers can write plain SQL over the
// views.
package schema
