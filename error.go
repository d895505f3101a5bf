package cipmap

import (
	"errors"
	"fmt"
)

// Error codes. The CLI maps each to an exit code and the HTTP layer to a status code.
const (
	EINVALID   = "invalid"   // bad user input: a value, a mapping, a flag
	ENOTFOUND  = "not_found" // an entity, dataset or file that does not exist
	ECONFLICT  = "conflict"  // the request conflicts with stored state
	ELOCKED    = "locked"    // the database is held by another process
	EREADONLY  = "read_only" // a write was attempted through a read-only path
	EINTERNAL  = "internal"  // a bug or an unexpected failure of a dependency
	EUNCHANGED = "unchanged" // nothing to do: the same content is stored already
)

// Error is cipmap's error type: a code for machines and a message for people.
type Error struct {
	Code    string
	Message string
	// Err is an underlying error, if any; it is kept for errors.Is and errors.As.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with code and message that wraps err.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err for a person to read.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
