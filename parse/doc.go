// Package parse turns the raw values of Chinese and English datasets into the
// normalised values that cipmap stores, one function per property type: Date, Money
// (ParseMoney), Number, Integer, Percentage, and the identifiers USCC, OrgCode, LEI and
// StockCode. Fold and IsEmpty prepare any value.
//
// Every parser folds its input first (see Fold), so full-width digits and letters,
// ideographic spaces and stray whitespace need no care from the caller, and every one
// returns, for a value it cannot read, an error of type *cipmap.Error with code
// cipmap.EINVALID whose message quotes the value and says what was expected. The
// caller adds the file, line and column. No input makes a parser panic: each has a fuzz
// test.
//
// The normalised forms are those of cipmap.PropertyType: ISO 8601 dates at the
// precision given ("2020", "2020-08-13", "2020-08-13T15:57:29"), decimal numbers
// without exponent or trailing zeros ("120000000" for 1.2亿元), percentages in percent
// units with ranges as "30..50", and identifiers in upper case without separators.
// Where a value could be read two ways, each function's documentation says which way
// it is read, so that ambiguity is a documented decision rather than a surprise.
//
// The parsers are called once per cell on ingest, millions of times, so the common
// cases take a fast path: an already-folded ASCII value is not copied, a plain integer
// or an ISO date that is already canonical is returned without allocating.
package parse
