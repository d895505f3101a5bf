package gen

import (
	"strconv"
	"strings"
)

// The policy layer's mappings: mapping-policy.yaml (government bodies, policy banks,
// policies with their issuers and targets, programs, designations, funds and their
// partners), mapping-flows.yaml (investments, grants, loans, contracts, listings),
// mapping-outcome-patents.yaml and mapping-outcome-financials.yaml (the financials
// fact table). Ids
// use the registry's prefixes (world-firm, world-gov) so that every relation points
// at the registry's entities.

const policyMapping = `# The policy layer of a synthetic world written by '{command}'.
# Government bodies, policy banks, policies, programs, designations and guidance funds
# with their partners. The truth (truth/*) is not read.
dataset:
  name: world-policy
  title: Synthetic policies, programs and guidance funds (cipmap gen world --policy)
  source: {command}
  licence: CC0-1.0
parts:
  - source: {path: state/gov_bodies.csv, format: csv, encoding: utf-8}
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
  - source: {path: state/banks.csv, format: csv, encoding: utf-8}
    entities:
      - key: bank
        schema: Firm
        id: {columns: [firm_id], prefix: world-firm}
        properties:
          name: {column: name, lang: zh}
          short_name: {column: short_name, lang: zh}
          name_en: {column: name_en, lang: en}
          legal_form: legal_form
          founded: founded
      - key: owner
        schema: GovBody
        id: {columns: [owner_gov_id], prefix: world-gov}
      - key: ownership
        schema: Ownership
        id: {columns: [owner_gov_id, firm_id], prefix: world-bankowner}
        properties:
          owner: {entity: owner}
          asset: {entity: bank}
          percentage: share
  - source: {path: state/policies.csv, format: csv, encoding: utf-8}
    entities:
      - key: policy
        schema: Policy
        id: {columns: [policy_id], prefix: world-policy}
        properties:
          title: {column: title, lang: zh}
          short_title: {column: short_title, lang: zh}
          document_number: document_number
          issuer_name: {column: issuer_name, lang: zh, split: "、"}
          date: date
          published_date: published_date
          level: level
          region: region
          document_type: {column: document_type, lang: zh}
          text: {column: text, lang: zh}
          status: {column: status, lang: zh}
  - source: {path: state/issuances.csv, format: csv, encoding: utf-8}
    entities:
      - key: policy
        schema: Policy
        id: {columns: [policy_id], prefix: world-policy}
      - key: gov
        schema: GovBody
        id: {columns: [gov_id], prefix: world-gov}
      - key: issuance
        schema: Issuance
        id: {columns: [policy_id, gov_id], prefix: world-issuance}
        properties:
          issuer: {entity: gov}
          policy: {entity: policy}
          role: {column: role, lang: zh}
          rank: rank
  - source: {path: state/targetings.csv, format: csv, encoding: utf-8}
    entities:
      - key: policy
        schema: Policy
        id: {columns: [policy_id], prefix: world-policy}
      - key: targeting
        schema: Targeting
        id: {columns: [targeting_id], prefix: world-targeting}
        properties:
          policy: {entity: policy}
          target_tag: target_tag
          instrument: instrument
          original_label: {column: original_label, lang: zh}
          weight: weight
          evidence: {column: evidence, lang: zh}
          method: method
  - source: {path: state/programs.csv, format: csv, encoding: utf-8}
    entities:
      - key: policy
        schema: Policy
        id: {columns: [policy_id], prefix: world-policy}
      - key: program
        schema: Program
        id: {columns: [program_id], prefix: world-program}
        properties:
          name: {column: name, lang: zh}
          short_name: {column: short_name, lang: zh}
          name_en: {column: name_en, lang: en}
          program_type: {column: program_type, lang: zh}
          phase: {column: phase, lang: zh}
          start_date: start_date
          end_date: end_date
          level: level
          issuer_name: {column: issuer_name, lang: zh}
          policy: {entity: policy}
          sectors: {column: sectors, lang: zh}
  - source: {path: state/designations.csv, format: csv, encoding: utf-8}
    entities:
      - key: program
        schema: Program
        id: {columns: [program_id], prefix: world-program}
      - key: firm
        schema: Firm
        id: {columns: [firm_id], prefix: world-firm}
      - key: designation
        schema: Designation
        id: {columns: [designation_id], prefix: world-designation}
        properties:
          program: {entity: program}
          firm: {entity: firm}
          year: year
          date: date
          end_date: end_date
          batch: {column: batch, lang: zh}
          list_name: {column: list_name, lang: zh}
          level: level
          document_number: document_number
          status: {column: status, lang: zh}
  - source: {path: state/funds.csv, format: csv, encoding: utf-8}
    entities:
      - key: fund
        schema: Fund
        id: {columns: [fund_id], prefix: world-fund}
        properties:
          name: {column: name, lang: zh}
          short_name: {column: short_name, lang: zh}
          fund_type: {column: fund_type, lang: zh}
          legal_form: {column: legal_form, lang: zh}
          level: level
          sponsor_name: {column: sponsor_name, lang: zh}
          registered_capital: registered_capital
          currency: currency
          vintage: vintage
          founded: founded
          investment_stage: {column: investment_stage, lang: zh}
          sectors: {column: sectors, lang: zh}
          region: region
          province: province
          city: city
  - source: {path: state/fund_partners.csv, format: csv, encoding: utf-8}
    entities:
      - key: owner_gov
        schema: GovBody
        id: {columns: [partner_id], prefix: world-gov}
        when: {column: partner_kind, equals: [gov]}
      - key: owner_fund
        schema: Fund
        id: {columns: [partner_id], prefix: world-fund}
        when: {column: partner_kind, equals: [fund]}
      - key: owner_firm
        schema: Firm
        id: {columns: [partner_id], prefix: world-firm}
        when: {column: partner_kind, equals: [firm]}
      - key: asset
        schema: Fund
        id: {columns: [fund_id], prefix: world-fund}
{partners}`

const fundPartnerSpec = `      - key: by_{kind}
        schema: Ownership
        id: {columns: [partner_row_id], prefix: world-fundpartner}
        when: {column: partner_kind, equals: [{kind}]}
        properties:
          owner: {entity: owner_{kind}}
          asset: {entity: asset}
          percentage: share
          capital: commitment
          currency: currency
          role: {column: role, lang: zh}
          start_date: start_date
`

const flowsMapping = `# The resource flows of a synthetic world written by '{command}'.
# Guidance-fund investments, subsidies, policy-bank loans, procurement contracts and
# listings; amounts in units of their currency (CNY or USD).
dataset:
  name: world-flows
  title: Synthetic resource flows (cipmap gen world --policy)
  source: {command}
  licence: CC0-1.0
parts:
  - source: {path: flows/investments.csv, format: csv, encoding: utf-8}
    entities:
      - key: fund
        schema: Fund
        id: {columns: [investor_id], prefix: world-fund}
      - key: firm
        schema: Firm
        id: {columns: [investee_id], prefix: world-firm}
      - key: investment
        schema: Investment
        id: {columns: [investment_id], prefix: world-investment}
        properties:
          investor: {entity: fund}
          investee: {entity: firm}
          amount: amount
          currency: currency
          date: date
          round: {column: round, lang: zh}
          instrument: {column: instrument, lang: zh}
          percentage: percentage
          sector_label: {column: sector_label, lang: zh}
          role: {column: role, lang: zh}
  - source: {path: flows/grants.csv, format: csv, encoding: utf-8}
    entities:
      - key: gov
        schema: GovBody
        id: {columns: [grantor_id], prefix: world-gov}
      - key: firm
        schema: Firm
        id: {columns: [recipient_id], prefix: world-firm}
      - key: program
        schema: Program
        id: {columns: [program_id], prefix: world-program}
      - key: grant
        schema: Grant
        id: {columns: [grant_id], prefix: world-grant}
        properties:
          grantor: {entity: gov}
          recipient: {entity: firm}
          program: {entity: program}
          amount: amount
          currency: currency
          date: date
          year: year
          program_name: {column: program_name, lang: zh}
          project_name: {column: project_name, lang: zh}
          grant_type: {column: grant_type, lang: zh}
          accounting_type: {column: accounting_type, lang: zh}
  - source: {path: flows/loans.csv, format: csv, encoding: utf-8}
    entities:
      - key: bank
        schema: Firm
        id: {columns: [lender_id], prefix: world-firm}
      - key: firm
        schema: Firm
        id: {columns: [borrower_id], prefix: world-firm}
      - key: loan
        schema: Loan
        id: {columns: [loan_id], prefix: world-loan}
        properties:
          lender: {entity: bank}
          borrower: {entity: firm}
          amount: amount
          currency: currency
          date: date
          year: year
          maturity_date: {column: maturity_date, max_year: 2045}
          interest_rate: interest_rate
          loan_type: {column: loan_type, lang: zh}
          purpose: {column: purpose, lang: zh}
  - source: {path: flows/contracts.csv, format: csv, encoding: utf-8}
    entities:
      - key: gov
        schema: GovBody
        id: {columns: [buyer_id], prefix: world-gov}
      - key: firm
        schema: Firm
        id: {columns: [supplier_id], prefix: world-firm}
      - key: contract
        schema: Contract
        id: {columns: [contract_id], prefix: world-contract}
        properties:
          buyer: {entity: gov}
          supplier: {entity: firm}
          title: {column: title, lang: zh}
          amount: amount
          currency: currency
          date: date
          procedure: {column: procedure, lang: zh}
          project_number: project_number
          category: {column: category, lang: zh}
          region: region
  - source: {path: flows/listings.csv, format: csv, encoding: utf-8}
    entities:
      - key: firm
        schema: Firm
        id: {columns: [firm_id], prefix: world-firm}
      - key: listing
        schema: Listing
        id: {columns: [listing_id], prefix: world-listing}
        properties:
          firm: {entity: firm}
          exchange: exchange
          board: {column: board, lang: zh}
          stock_code: stock_code
          short_name: {column: short_name, lang: zh}
          listing_date: listing_date
          amount_raised: amount_raised
          currency: currency
          sponsor_name: {column: sponsor_name, lang: zh}
`

const patentsMapping = `# The patents of a synthetic world written by '{command}'.
# One patent_facts row a patent, its applicant a registry firm; planted effects in
# truth/effects.md. Patents are a typed fact table, not Patent entities: millions of
# them load as columns. Tag them with 'cipmap patents tag'.
dataset:
  name: world-outcome-patents
  title: Synthetic patent applications (cipmap gen world --policy)
  source: {command}
  licence: CC0-1.0
source:
  path: outcomes/patents.csv
  format: csv
  encoding: utf-8
entities:
  - key: firm
    schema: Firm
    id: {columns: [applicant_id], prefix: world-firm}
facts:
  - table: patent_facts
    columns:
      patent_id: patent_id
      applicant_id: {entity: firm}
      applicant_name: applicant_name
      office: office
      kind: patent_type
      application_number: application_number
      title: title
      ipc: {column: ipc, split: ";"}
      ipc_main: ipc_main
      application_date: application_date
      publication_date: publication_date
      grant_date: grant_date
      status: status
      region: region
`

const financialsMapping = `# Firm-year financials of a synthetic world written by '{command}'.
# In 万元; rd_expense is in the file but the financials table has no column for it.
dataset:
  name: world-outcome-financials
  title: Synthetic firm-year financials (cipmap gen world --policy)
  source: {command}
  licence: CC0-1.0
source:
  path: outcomes/financials.csv
  format: csv
  encoding: utf-8
entities:
  - key: firm
    schema: Firm
    id: {columns: [firm_id], prefix: world-firm}
facts:
  - table: financials
    columns:
      entity_id: {entity: firm}
      year: year
      currency: {value: CNY}
      revenue: {column: revenue, type: money, scale: 10000, currency: CNY}
      export_revenue: {column: export_revenue, type: money, scale: 10000, currency: CNY}
      loans: {column: loans, type: money, scale: 10000, currency: CNY}
      subsidies: {column: subsidies, type: money, scale: 10000, currency: CNY}
      employees: employees
`

// command is the command line that makes this world with its policy layer.
func (p *polWorld) command() string {
	return p.w.command() + " --policy --patents " + strconv.Itoa(p.w.opts.Patents) + " --flows " + strconv.Itoa(p.w.opts.Flows)
}

// writeMappings writes the policy layer's four mappings.
func (p *polWorld) writeMappings() error {
	var parts strings.Builder
	for _, k := range []string{"gov", "fund", "firm"} {
		parts.WriteString(strings.ReplaceAll(fundPartnerSpec, "{kind}", k))
	}
	for _, m := range []struct{ name, text string }{
		{"mapping-policy.yaml", strings.Replace(policyMapping, "{partners}", parts.String(), 1)},
		{"mapping-flows.yaml", flowsMapping},
		{"mapping-outcome-patents.yaml", patentsMapping},
		{"mapping-outcome-financials.yaml", financialsMapping},
	} {
		if err := p.w.writeMapping(m.name, strings.ReplaceAll(m.text, "{command}", p.command())); err != nil {
			return err
		}
	}
	return nil
}
