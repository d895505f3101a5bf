package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/postgres"
	"github.com/cipmap/cipmap/schema"
)

// Exit codes, documented in `cipmap help` and the README.
const (
	ExitOK       = 0
	ExitInternal = 1 // a bug or a failure of the system (disk, database server)
	ExitUsage    = 2 // wrong command line
	ExitInvalid  = 3 // bad input data or mapping; nothing was written
	ExitNotFound = 4 // no such entity, dataset or file
	ExitLocked   = 5 // the database is held by another process
	ExitReadOnly = 6 // a write was refused (read-only query or database)
	ExitConflict = 7
)

// errUsage marks command-line mistakes; the usage text has been printed.
var errUsage = errors.New("usage")

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
		return ExitUsage
	}
	switch cipmap.ErrorCode(err) {
	case cipmap.EINVALID:
		return ExitInvalid
	case cipmap.ENOTFOUND:
		return ExitNotFound
	case cipmap.ELOCKED:
		return ExitLocked
	case cipmap.EREADONLY:
		return ExitReadOnly
	case cipmap.ECONFLICT:
		return ExitConflict
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	return ExitInternal
}

// Main is the program: its streams, environment and the store it opened.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            cipmap.Clock
	// IsTerminal reports whether stderr is a terminal, for progress bars.
	IsTerminal bool

	store cipmap.Store
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now, IsTerminal: isTerminal(os.Stderr)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Close closes the store, if one was opened.
func (m *Main) Close() error {
	if m.store != nil {
		err := m.store.Close()
		m.store = nil
		return err
	}
	return nil
}

// Command is one subcommand.
type Command interface {
	Run(ctx context.Context, args []string) error
}

type commandInfo struct {
	name    string
	summary string
	make    func(m *Main) Command
}

func commands() []commandInfo {
	return []commandInfo{
		{"ingest", "load a dataset through a mapping file (YAML) · 按映射文件导入数据集", func(m *Main) Command { return &IngestCommand{m: m} }},
		{"datasets", "list datasets with versions and counts · 列出数据集", func(m *Main) Command { return &DatasetsCommand{m: m} }},
		{"show", "an entity with every statement and its source · 显示实体及来源", func(m *Main) Command { return &ShowCommand{m: m} }},
		{"search", "find entities by name, Chinese or English · 按名称查找", func(m *Main) Command { return &SearchCommand{m: m} }},
		{"query", "read-only SQL on the stable views · 只读 SQL 查询", func(m *Main) Command { return &QueryCommand{m: m} }},
		{"stats", "count what the database holds · 统计", func(m *Main) Command { return &StatsCommand{m: m} }},
		{"export", "export as csv, parquet, ftm or graphml · 导出", func(m *Main) Command { return &ExportCommand{m: m} }},
		{"delete", "delete a dataset and its facts · 删除数据集", func(m *Main) Command { return &DeleteCommand{m: m} }},
		{"tag", "tag text and codes with CTT technology tags · 技术标签标注", func(m *Main) Command { return &TagCommand{m: m} }},
		{"crosswalk", "convert codes between classifications · 分类代码转换", func(m *Main) Command { return &CrosswalkCommand{m: m} }},
		{"resolve", "cluster firm records into firms, with explanations · 企业识别", func(m *Main) Command { return &ResolveCommand{m: m} }},
		{"match", "find the firms a name or code most likely is · 企业匹配", func(m *Main) Command { return &MatchCommand{m: m} }},
		{"review", "decide uncertain pairs of firm records · 人工复核", func(m *Main) Command { return &ReviewCommand{m: m} }},
		{"policy", "document numbers, instruments, policy analysis · 政策文号与政策工具", func(m *Main) Command { return &PolicyCommand{m: m} }},
		{"ownership", "look-through ownership, control, state share, class · 股权穿透", func(m *Main) Command { return &OwnershipCommand{m: m} }},
		{"patents", "tag patents with CTT tags from their IPC codes · 专利技术标签", func(m *Main) Command { return &PatentsCommand{m: m} }},
		{"sector", "a sector's profile, or sectors compared command ↔ market · 产业画像", func(m *Main) Command { return &SectorCommand{m: m} }},
		{"flows", "resource flows over every channel, in yuan · 资源流向", func(m *Main) Command { return &FlowsCommand{m: m} }},
		{"trace", "follow the money from a body, fund, policy to firms · 资金追踪", func(m *Main) Command { return &TraceCommand{m: m} }},
		{"path", "shortest chains of relations between two entities · 关系路径", func(m *Main) Command { return &PathCommand{m: m} }},
		{"people", "a firm's key staff and their other firms · 董监高与交叉任职", func(m *Main) Command { return &PeopleCommand{m: m} }},
		{"serve", "serve the web UI, JSON API and reconciliation · 网页与 API 服务", func(m *Main) Command { return &ServeCommand{m: m} }},
		{"gen", "generate synthetic data with mappings · 生成合成数据", func(m *Main) Command { return &GenCommand{m: m} }},
		{"bench", "measure ingest speed against read_csv · 性能测试", func(m *Main) Command { return &BenchCommand{m: m} }},
	}
}

const usageHead = `cipmap maps China's industrial policy (policies, programs, players, resources) on one
harmonised database, and keeps where every fact came from.
cipmap 将中国产业政策（政策、项目、主体、资源）整合到统一的数据库中，并保留每条事实的来源。

Usage: cipmap COMMAND [flags] [args]

Commands:
`

const usageTail = `
Every command takes --db PATH or --db postgres://... (default $CIPMAP_DB, else
./cipmap.duckdb). Read commands take --format table|json|csv.
Run 'cipmap COMMAND --help' for a command's flags and examples.

Exit codes: 0 ok; 1 internal error; 2 usage; 3 invalid input (nothing written);
4 not found; 5 database locked by another process; 6 write refused (read-only);
7 conflict; 130 interrupted.
`

func (m *Main) usage(w io.Writer) {
	io.WriteString(w, usageHead)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	io.WriteString(w, usageTail)
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.usage(m.Stderr)
		return errUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "--help":
		if len(args) > 1 {
			return m.Run(ctx, []string{args[1], "--help"})
		}
		m.usage(m.Stdout)
		return nil
	case "version", "--version":
		fmt.Fprintln(m.Stdout, "cipmap", Version)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.make(m).Run(ctx, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	sort.Strings(names)
	fmt.Fprintf(m.Stderr, "cipmap: unknown command %q; commands: %s\n", name, strings.Join(names, ", "))
	return errUsage
}

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

// dbFlags are the flags every command that opens the database takes.
type dbFlags struct {
	db string
}

func (m *Main) addDBFlag(fs *flag.FlagSet, f *dbFlags) {
	def := m.Getenv("CIPMAP_DB")
	if def == "" {
		def = "cipmap.duckdb"
	}
	fs.StringVar(&f.db, "db", def, "database: a DuckDB file path, or postgres://user@host/db (env CIPMAP_DB)")
}

// openStore opens the database named by dsn: PostgreSQL for postgres:// URLs, else a
// DuckDB file. Read commands open DuckDB read-only so several can run at once.
// A command opens one store: a second call returns the first one, so a command that
// writes must open its store before anything that reads it.
func (m *Main) openStore(ctx context.Context, dsn string, readOnly bool) (cipmap.Store, error) {
	if m.store != nil {
		return m.store, nil
	}
	schemas, err := schema.Load()
	if err != nil {
		return nil, err
	}
	var st cipmap.Store
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		st, err = postgres.Open(ctx, dsn, postgres.Options{Schemas: schemas, Now: m.Now})
	} else {
		st, err = duckdb.Open(ctx, dsn, duckdb.Options{Schemas: schemas, Now: m.Now, ReadOnly: readOnly, MemoryLimit: m.Getenv("CIPMAP_DUCKDB_MEMORY")})
	}
	if err != nil {
		return nil, err
	}
	m.store = st
	return st, nil
}

// newFlagSet returns a flag set whose usage prints the command's help text.
func (m *Main) newFlagSet(name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "%s\n\nFlags:\n", strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
