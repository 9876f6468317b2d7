// SPDX-License-Identifier: GPL-2.0
/*
 * top.c - kvmprof top: live profile of the host and/or guests (perf kvm top).
 *
 * Flow: parse options -> one sampling event (cycles, or cpu-clock without a
 * PMU; the attr record builds, exclude_host/exclude_guest included) opened
 * per CPU (and per thread for -p/-t) with one ring per CPU by
 * collect/target.h, the code record uses too ->
 * machines from the symbol options (a guest machine per --guestmount
 * directory) and the synthesized kernel/module/thread/guest maps -> one
 * poll() loop over the rings, a signalfd (SIGINT, SIGTERM) and stdin (TUI):
 * the rings are drained into analysis/top.h's decaying histogram through the
 * same struct perf_tool the file reader feeds; every -d seconds a snapshot is
 * drawn by ui/tui (a terminal) or printed by ui/top-stdio (--stdio, or when
 * stdout is not a terminal), up to -n times.
 *
 * Samples are resolved with host and guest both enabled in the machine layer;
 * what the table shows is the view (guest, host, both: the TUI's h key),
 * starting from the global --host/--guest choice.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "analysis/top.h"
#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "collect/events.h"
#include "collect/evopen.h"
#include "collect/ring.h"
#include "collect/synth.h"
#include "collect/target.h"
#include "data/evsel.h"
#include "data/reader.h"
#include "machine/machine.h"
#include "ui/top-stdio.h"
#include "ui/tui/tui.h"

static const char *const top_usage[] = {
	"kvmprof [--host] [--guest] [--guestkallsyms=F --guestmodules=F | --guestmount=DIR] top\n"
	"        [-a | -p PID,... | -t TID] [-C CPUS] [-e EVENT] [-F FREQ | -c N] [-d SECONDS]\n"
	"        [-n N] [-E N] [--stdio | --tui] [-K] [-U] [-z]",
	NULL,
};

static void top_help(FILE *fp)
{
	kp_print_usage(fp, top_usage);
	fputs("\nLive profile of the host and/or KVM guests (perf kvm top).\n\n"
	      "    -a, --all-cpus            system-wide, on every CPU (the default)\n"
	      "    -p, --pid PID,...         existing processes (e.g. the VMM: its vCPU threads)\n"
	      "    -t, --tid TID             one existing thread\n"
	      "    -C, --cpu CPUS            only these CPUs (e.g. 0-1,3)\n"
	      "    -e, --event EVENT         cycles, cpu-clock, ... (default: cycles, or cpu-clock\n"
	      "                              without a hardware PMU)\n"
	      "    -F, --freq N              sample N times a second (default 4000)\n"
	      "    -c, --count N             sample every N events instead\n"
	      "    -d, --delay SECONDS       refresh interval (default 2)\n"
	      "    -n, --iterations N        stop after N refreshes\n"
	      "    -E, --entries N           show at most N rows (--stdio; default: all)\n"
	      "        --stdio               plain text snapshots (automatic when stdout is not a\n"
	      "                              terminal)\n"
	      "        --tui                 the interactive screen (needs a terminal)\n"
	      "    -K, --hide_kernel_symbols do not list host or guest kernel symbols\n"
	      "    -U, --hide_user_symbols   do not list host or guest user symbols\n"
	      "    -z, --zero                zero the counts after each refresh (no decay)\n"
	      "    -m, --mmap-pages N        ring buffer pages per CPU (power of two)\n"
	      "        --guest-user-elf FILE name guest user samples of the -p processes with\n"
	      "                              FILE's symbols (an ELF loaded at its link addresses)\n"
	      "\nKeys: q or Ctrl-C quit, h cycles the view guest/host/both, d zooms into the\n"
	      "DSO of the selected row (again: all DSOs), arrows/PgUp/PgDn move the selection.\n"
	      "\nWith --guestmount=DIR, every DIR/PID/proc/kallsyms is the kernel of the guest run\n"
	      "by VMM process PID, and DIR/PID/guest-user.maps (a /proc/PID/maps line, as\n"
	      "kvmprof-demo-guest writes it) names its user code.\n",
	      fp);
}

struct top_cmd {
	struct kp_ctx *ctx;
	/* options */
	bool all_cpus, use_stdio, force_tui, hide_kernel, hide_user;
	const char *event_name, *guest_user_elf;
	u64 freq, count;
	bool freq_set, count_set;
	double delay;
	u64 iterations;
	u64 entries;
	unsigned int mmap_pages;
	/* targets, fds and rings */
	struct kp_target target;
	/* the event: a one-event evlist for the ring drain */
	struct evlist evlist;
	/* model */
	struct symbol_conf conf;
	struct machines machines;
	bool machines_ok;
	struct top top;
	struct perf_tool tool;
	int err; /* first machine-layer error seen while processing */
};

/* ---- options ---- */

enum {
	OPT_STDIO = 256,
	OPT_TUI,
	OPT_GUEST_USER_ELF,
};

static const struct option top_opts[] = {
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "event", required_argument, NULL, 'e' },
	{ "freq", required_argument, NULL, 'F' },
	{ "count", required_argument, NULL, 'c' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "entries", required_argument, NULL, 'E' },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "tui", no_argument, NULL, OPT_TUI },
	{ "hide_kernel_symbols", no_argument, NULL, 'K' },
	{ "hide-kernel-symbols", no_argument, NULL, 'K' },
	{ "hide_user_symbols", no_argument, NULL, 'U' },
	{ "hide-user-symbols", no_argument, NULL, 'U' },
	{ "zero", no_argument, NULL, 'z' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "guest-user-elf", required_argument, NULL, OPT_GUEST_USER_ELF },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_options(struct top_cmd *t, int argc, char **argv)
{
	u64 v;
	int c;

	while ((c = getopt_long(argc, argv, "+ap:t:C:e:F:c:d:n:E:KUzm:h", top_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			t->all_cpus = true;
			break;
		case 'p':
			t->target.pid_list = optarg;
			break;
		case 't':
			t->target.tid_str = optarg;
			break;
		case 'C':
			t->target.cpu_list = optarg;
			break;
		case 'e':
			if (t->event_name)
				return kp_usage_error(top_usage, "top shows one event: -e given twice");
			t->event_name = optarg;
			break;
		case 'F':
			if (kp_parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-F wants a positive number, not '%s'",
						      optarg);
			t->freq = v;
			t->freq_set = true;
			break;
		case 'c':
			if (kp_parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-c wants a positive number, not '%s'",
						      optarg);
			t->count = v;
			t->count_set = true;
			break;
		case 'd': {
			char *end;
			double d;

			errno = 0;
			d = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(d >= 0.1) || d > 3600)
				return kp_usage_error(top_usage, "-d wants seconds between 0.1 and 3600, "
						      "not '%s'", optarg);
			t->delay = d;
			break;
		}
		case 'n':
			if (kp_parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-n wants a positive number, not '%s'",
						      optarg);
			t->iterations = v;
			break;
		case 'E':
			if (kp_parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-E wants a positive number, not '%s'",
						      optarg);
			t->entries = v;
			break;
		case OPT_STDIO:
			t->use_stdio = true;
			break;
		case OPT_TUI:
			t->force_tui = true;
			break;
		case 'K':
			t->hide_kernel = true;
			break;
		case 'U':
			t->hide_user = true;
			break;
		case 'z':
			t->top.zero = true;
			break;
		case 'm':
			if (kp_parse_u64(optarg, &v) || !v || (v & (v - 1)) || v > (1u << 20))
				return kp_usage_error(top_usage, "-m wants a power of two of pages, "
						      "not '%s'", optarg);
			t->mmap_pages = (unsigned int)v;
			break;
		case OPT_GUEST_USER_ELF:
			t->guest_user_elf = optarg;
			break;
		case 'h':
			top_help(stdout);
			return -1;
		case ':':
			return kp_usage_error(top_usage, "option '%s' needs a value", argv[optind - 1]);
		default:
			return kp_usage_error(top_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kp_usage_error(top_usage, "top runs no command: unexpected '%s'", argv[optind]);
	if (!!t->target.pid_list + !!t->target.tid_str + t->all_cpus > 1)
		return kp_usage_error(top_usage, "choose one target: -a, -p or -t");
	if (t->freq_set && t->count_set)
		return kp_usage_error(top_usage, "-F and -c exclude each other");
	if (t->use_stdio && t->force_tui)
		return kp_usage_error(top_usage, "--stdio and --tui exclude each other");
	return 0;
}

static int setup_targets(struct top_cmd *t)
{
	int err = kp_target__resolve(&t->target);

	if (err == KP_ERR_USAGE)
		return kp_usage_error(top_usage, "%s", kp_errmsg(err));
	if (err)
		return kp_fail(err);
	return 0;
}

static int check_freq(struct top_cmd *t)
{
	bool lowered;
	int err;

	if (t->count_set)
		return 0;
	err = kp_sample_freq__check(&t->freq, t->freq_set, &lowered);
	if (err) {
		pr_err("%s", kp_errmsg(err));
		return -1;
	}
	return 0;
}

/* ---- the event ---- */

static int setup_event(struct top_cmd *t)
{
	struct kp_sample_opts o = {
		.freq = t->freq, .count = t->count, .count_set = t->count_set,
		.host = t->ctx->host, .guest = t->ctx->guest,
	};
	struct kp_attr a = { 0 };
	const char *name;
	struct evsel *evsel;
	int err;

	if (t->event_name) {
		err = kp_event__parse(t->event_name, &a);
		if (err == KP_ERR_USAGE)
			return kp_usage_error(top_usage, "%s", kp_errmsg(err));
		if (err)
			return kp_fail(err);
		name = t->event_name;
	} else {
		name = kp_event__default(&a);
	}
	evsel = evsel__new(&a, 0);
	evsel->name = xstrdup(name);
	evlist__add(&t->evlist, evsel);
	err = kp_target__config_attrs(&t->target, &t->evlist, &o);
	return err ? kp_fail(err) : 0;
}

static const struct kp_attr *top_attr(const struct top_cmd *t)
{
	return &t->evlist.entries[0]->attr;
}

/* ---- records into the model ---- */

#define top_of(ptool) ((struct top_cmd *)((char *)(ptool) - offsetof(struct top_cmd, tool)))

static int tool_sample(struct perf_tool *tool, union perf_event *event,
		       struct perf_sample *sample, struct evsel *evsel)
{
	struct top_cmd *t = top_of(tool);
	struct addr_location al;
	struct top_key key;

	top__count_sample(&t->top, sample->cpumode,
			  (event->header.misc & PERF_RECORD_MISC_EXACT_IP) != 0);
	if (t->hide_kernel && (sample->cpumode == PERF_RECORD_MISC_KERNEL ||
			       sample->cpumode == PERF_RECORD_MISC_GUEST_KERNEL))
		return 0;
	if (t->hide_user && (sample->cpumode == PERF_RECORD_MISC_USER ||
			     sample->cpumode == PERF_RECORD_MISC_GUEST_USER))
		return 0;
	memset(&al, 0, sizeof(al));
	machines__resolve(&t->machines, sample, &al);
	key.dso_name = al.dso ? dso__name(al.dso) : NULL;
	key.sym = al.sym;
	key.addr = al.map ? al.addr : sample->ip;
	key.level = al.level ? al.level : 'H';
	key.filtered = al.filtered != AL_FILTER_NONE;
	top__add(&t->top, &key);
	return 0;
}

static int tool_event(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct top_cmd *t = top_of(tool);
	int err = machines__process_event(&t->machines, event, sample);

	/* a malformed record is reported once and skipped: the view goes on */
	if (err && !t->err) {
		t->err = err;
		pr_warning("%s", kp_errmsg(err));
	}
	return 0;
}

static int tool_lost(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct top_cmd *t = top_of(tool);

	top__count_lost(&t->top, event->lost.lost);
	return 0;
}

static int synth_emit(void *arg, const union perf_event *ev)
{
	struct top_cmd *t = arg;
	struct perf_sample s;

	memset(&s, 0, sizeof(s));
	s.cpu = (u32)-1;
	s.time = ~0ULL;
	if (ev->header.type == PERF_RECORD_COMM) {
		s.pid = ev->comm.pid;
		s.tid = ev->comm.tid;
	} else if (ev->header.type == PERF_RECORD_FORK || ev->header.type == PERF_RECORD_EXIT) {
		s.pid = ev->fork.pid;
		s.tid = ev->fork.tid;
	}
	s.misc = ev->header.misc;
	s.cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	return tool_event(&t->tool, (union perf_event *)ev, &s);
}

static int synthesize(struct top_cmd *t)
{
	struct kp_synth *s = xmalloc(sizeof(*s));
	struct kp_ctx *ctx = t->ctx;
	struct kp_synth_opts o = {
		.guestkallsyms = ctx->guestkallsyms,
		.guestmodules = ctx->guestmodules,
		/* the machine layer makes each DIR/PID guest when its records come */
		.guestmount = ctx->guestmount,
		.guest_user_elf = t->guest_user_elf,
	};
	int err;

	kp_synth__init(s, synth_emit, t, t->evlist.entries[0]->id_hdr_size);
	err = kp_target__synthesize(&t->target, s, &o);
	free(s);
	return err;
}

/* ---- the loop ---- */

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void drain(struct top_cmd *t)
{
	for (int r = 0; r < t->target.nr_rings; r++) {
		int n = kp_ring__drain(&t->target.rings[r], &t->evlist, &t->tool);

		if (n < 0)
			pr_warning("%s", kp_errmsg(n));
	}
}

struct top_screen {
	bool tui;
	bool clear; /* --stdio on a terminal: clear between snapshots */
	int cols;
	size_t rows;
	struct top_view view;
	struct tui_top st;
	struct top_headline hl;
	struct top_snapshot snap;
};

static void show(struct top_cmd *t, struct top_screen *sc)
{
	if (sc->tui) {
		sc->st.mode = sc->view.mode;
		sc->st.dso = sc->view.dso;
		tui_top__draw(&sc->snap, &sc->st);
	} else {
		struct strbuf sb = STRBUF_INIT;

		if (sc->clear)
			strbuf_addstr(&sb, "\033[H\033[2J");
		top_stdio__render(&sb, &sc->snap, sc->cols, sc->rows);
		fwrite(sb.buf, 1, sb.len, stdout);
		fflush(stdout);
		strbuf_release(&sb);
	}
}

/* returns true to quit */
static bool handle_key(struct top_screen *sc, int key)
{
	switch (key) {
	case 'q':
	case 'Q':
	case 3: /* Ctrl-C when the terminal does not signal */
		return true;
	case 'h':
		sc->view.mode = (enum top_view_mode)((sc->view.mode + 1) % TOP_VIEW_NR);
		sc->st.selected = sc->st.scroll = 0;
		break;
	case 'd':
		if (sc->view.dso) {
			sc->view.dso = NULL;
		} else if (sc->snap.nr_rows) {
			const struct top_row *r = &sc->snap.rows[sc->st.selected < sc->snap.nr_rows
									? sc->st.selected : 0];

			snprintf(sc->st.dso_buf, sizeof(sc->st.dso_buf), "%s", r->dso_name);
			sc->view.dso = sc->st.dso_buf;
		} else {
			sc->st.message = "nothing to zoom into";
		}
		sc->st.selected = sc->st.scroll = 0;
		break;
	case TUI_KEY_UP:
		tui_top__move(&sc->st, -1, sc->snap.nr_rows);
		break;
	case TUI_KEY_DOWN:
		tui_top__move(&sc->st, 1, sc->snap.nr_rows);
		break;
	case TUI_KEY_PGUP:
		tui_top__move(&sc->st, -(long)sc->st.page, sc->snap.nr_rows);
		break;
	case TUI_KEY_PGDN:
		tui_top__move(&sc->st, (long)sc->st.page, sc->snap.nr_rows);
		break;
	case TUI_KEY_HOME:
		sc->st.selected = 0;
		break;
	case TUI_KEY_END:
		tui_top__move(&sc->st, (long)sc->snap.nr_rows, sc->snap.nr_rows);
		break;
	case TUI_KEY_RESIZE:
		break;
	default:
		return false;
	}
	top_snapshot__set_view(&sc->snap, &sc->view);
	return false;
}

static int top_loop(struct top_cmd *t, struct top_screen *sc, int sfd)
{
	const struct kp_target *tg = &t->target;
	struct pollfd *pfd = xcalloc((size_t)tg->nr_rings + 2, sizeof(*pfd));
	int nfds = tg->nr_rings + 1, ret = 0;
	double next = now_secs() + t->delay;
	u64 done = 0;
	bool stop = false;

	for (int r = 0; r < tg->nr_rings; r++) {
		pfd[r].fd = tg->rings[r].fd;
		pfd[r].events = POLLIN;
	}
	pfd[tg->nr_rings].fd = sfd;
	pfd[tg->nr_rings].events = POLLIN;
	if (sc->tui) {
		pfd[nfds].fd = STDIN_FILENO;
		pfd[nfds].events = POLLIN;
		nfds++;
	}
	while (!stop) {
		double left = next - now_secs();
		int timeout = left <= 0 ? 0 : (int)(left * 1000) + 1;
		int n;

		/* drain often: the rings only wake us up when half full */
		if (timeout > 100)
			timeout = 100;
		n = poll(pfd, (nfds_t)nfds, timeout);
		if (n < 0 && errno != EINTR) {
			ret = kp_error(-errno, "poll failed: %s", strerror(errno));
			break;
		}
		drain(t);
		if (n > 0 && (pfd[tg->nr_rings].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				stop = true;
		}
		for (int r = 0; r < tg->nr_rings; r++)
			if (pfd[r].fd >= 0 && (pfd[r].revents & (POLLHUP | POLLERR)))
				pfd[r].fd = -1; /* its tasks exited: drained, nothing more comes */
		if (sc->tui) {
			bool redraw = false;
			int key;

			while ((key = tui__getkey()) != TUI_KEY_NONE) {
				if (handle_key(sc, key)) {
					stop = true;
					break;
				}
				redraw = true;
			}
			if (redraw && !stop)
				show(t, sc);
		}
		if (stop)
			break;
		if (now_secs() >= next) {
			top__snapshot(&t->top, &sc->hl, &sc->view, &sc->snap);
			show(t, sc);
			next += t->delay;
			if (next < now_secs())
				next = now_secs() + t->delay;
			if (t->iterations && ++done >= t->iterations)
				stop = true;
		}
	}
	free(pfd);
	return ret;
}

static void top_exit(struct top_cmd *t)
{
	kp_target__exit(&t->target);
	evlist__exit(&t->evlist);
	top__exit(&t->top);
	if (t->machines_ok)
		machines__exit(&t->machines);
}

static void terminal_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = *rows = 0;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws)) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

int cmd_top(int argc, char **argv, struct kp_ctx *ctx)
{
	struct top_cmd *t = xzalloc(sizeof(*t));
	struct top_screen *sc = xzalloc(sizeof(*sc));
	sigset_t oldmask;
	int sfd = -1, err, status = KP_EXIT_FAILURE, term_rows = 0;
	bool blocked = false;

	t->ctx = ctx;
	evlist__init(&t->evlist);
	t->freq = 4000;
	t->delay = 2;
	top__init(&t->top);
	err = parse_options(t, argc, argv);
	if (err) {
		status = err < 0 ? KP_EXIT_OK : err;
		goto out;
	}
	if (!t->mmap_pages)
		t->mmap_pages = kp_ring__default_pages();
	if (check_freq(t)) {
		status = KP_EXIT_USAGE;
		goto out;
	}
	err = setup_targets(t);
	if (err) {
		status = err;
		goto out;
	}
	err = setup_event(t);
	if (err) {
		status = err;
		goto out;
	}
	sc->tui = !t->use_stdio && (t->force_tui || (isatty(STDOUT_FILENO) &&
						     isatty(STDIN_FILENO)));

	/* resolve everything; the view decides what is shown */
	symbol_conf__from_ctx(&t->conf, ctx, NULL);
	t->conf.host = true;
	t->conf.guest = true;
	err = machines__init(&t->machines, &t->conf);
	t->machines_ok = true;
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	t->tool.sample = tool_sample;
	t->tool.mmap = tool_event;
	t->tool.mmap2 = tool_event;
	t->tool.comm = tool_event;
	t->tool.fork = tool_event;
	t->tool.exit = tool_event;
	t->tool.lost = tool_lost;

	sfd = kp_signalfd__block(false, &oldmask);
	blocked = true;
	if (sfd < 0) {
		status = kp_fail(sfd);
		goto out;
	}
	err = kp_target__open(&t->target, &t->evlist, t->mmap_pages, true);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (kp_event_dryrun()) {
		fprintf(stderr, "[ kvmprof top: dry run: %d events opened, nothing shown ]\n",
			t->target.nr_fds);
		status = KP_EXIT_OK;
		goto out;
	}
	err = synthesize(t);
	if (err) {
		status = kp_fail(err);
		goto out;
	}

	sc->hl.guest = ctx->guest;
	sc->hl.delay_secs = t->delay;
	sc->hl.sample_period = top_attr(t)->sample_period;
	sc->hl.freq = kp_attr_flag(top_attr(t), KP_ATTR_FREQ);
	sc->hl.event = evsel__name(t->evlist.entries[0]);
	sc->hl.target_pid = t->target.pid_list;
	sc->hl.target_tid = t->target.tid_str;
	sc->hl.cpu_list = t->target.cpu_list;
	sc->hl.nr_cpus = t->target.nr_cpus;
	sc->view.mode = ctx->host && ctx->guest ? TOP_VIEW_BOTH
			: ctx->host		? TOP_VIEW_HOST
						: TOP_VIEW_GUEST;
	terminal_size(&sc->cols, &term_rows);
	sc->rows = t->entries ? t->entries : 0;
	if (!sc->tui && !t->entries && term_rows > 11)
		sc->rows = (size_t)term_rows - 11; /* a screenful, as perf top --stdio */
	sc->clear = !sc->tui && isatty(STDOUT_FILENO);
	if (sc->tui) {
		err = tui__start();
		if (err) {
			status = kp_fail(err);
			goto out;
		}
		/* an empty screen right away: the first numbers come after -d seconds */
		sc->snap.hl = sc->hl;
		sc->st.mode = sc->view.mode;
		show(t, sc);
	}
	kp_target__ioctl(&t->target, PERF_EVENT_IOC_ENABLE);
	err = top_loop(t, sc, sfd);
	kp_target__ioctl(&t->target, PERF_EVENT_IOC_DISABLE);
	tui__stop();
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	status = KP_EXIT_OK;
out:
	tui__stop();
	if (sfd >= 0)
		close(sfd);
	if (blocked)
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
	top_snapshot__exit(&sc->snap);
	top_exit(t);
	free(sc);
	free(t);
	return status;
}
