// Package cipmap is the vocabulary of cipmap, a tool that maps China's industrial
// policy (its policies, programs, players and resources) on one harmonised database.
//
// This package holds the domain types that every other package speaks: schemas and
// their properties, entities, statements with provenance, datasets, typed fact rows,
// the error type with codes, and the service interfaces that stores implement. It
// imports only the standard library, so a reader can learn the system from it alone.
// Implementations live in subpackages (duckdb, postgres, ingest, ...) that depend on
// this package and not on each other; cmd/cipmap wires them together.
package cipmap
