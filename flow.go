package cipmap

// FlowChannel describes one channel of resource flows: the relation schema that
// records it and which of its properties name the giver, the receiver, the amount and
// the date. Money moves from giver to receiver; for a listing the giver is the market
// (an exchange entity, when one is linked).
type FlowChannel struct {
	Channel  string // "investment", "grant", "loan", "contract", "listing"
	Schema   string // "Investment", ...
	Giver    string // the property that names the giver
	Receiver string // the property that names the receiver
	Amount   string // the property with the amount, in units of Currency
	Date     string // the property with the date
}

// FlowChannels are the channels through which resources reach firms, in the order
// reports list them. The flows view of both stores and cipmap flows read them.
var FlowChannels = []FlowChannel{
	{"investment", "Investment", "investor", "investee", "amount", "date"},
	{"grant", "Grant", "grantor", "recipient", "amount", "date"},
	{"loan", "Loan", "lender", "borrower", "amount", "date"},
	{"contract", "Contract", "buyer", "supplier", "amount", "date"},
	{"listing", "Listing", "exchange_entity", "firm", "amount_raised", "listing_date"},
}

// FlowChannelOf returns the channel recorded by a schema, or nil.
func FlowChannelOf(schema string) *FlowChannel {
	for i := range FlowChannels {
		if FlowChannels[i].Schema == schema {
			return &FlowChannels[i]
		}
	}
	return nil
}

// Rates converts amounts between currencies and years: to yuan at a year's rate, and
// from yuan of one year to yuan at another year's prices. The money package ships a
// table of official rates and price indexes; tests use their own.
type Rates interface {
	// ToCNY converts amount in currency (an ISO 4217 code) to yuan at the average
	// rate of year. CNY converts to itself. An unknown currency or year is an
	// ENOTFOUND error.
	ToCNY(amount float64, currency string, year int) (float64, error)
	// Constant converts yuan of year to yuan at the prices of base with a price
	// index. A year outside the index is an ENOTFOUND error.
	Constant(cny float64, year, base int) (float64, error)
}
