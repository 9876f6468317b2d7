// SPDX-License-Identifier: GPL-2.0
/*
 * tui.c - curses mode in and out, with the terminal restored on every exit
 * path (see tui.h).
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ui/tui/tui.h"

static bool tui_on;
static bool hooks_installed;
static struct termios saved_tio;
static bool have_tio;
/* leave-alternate-screen + show-cursor + reset attributes, captured at start */
static char restore_seq[256];
static size_t restore_len;

static const int fatal_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
};

static void add_cap(const char *name)
{
	char *s = tigetstr(name);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n >= sizeof(restore_seq))
		return;
	memcpy(restore_seq + restore_len, s, n);
	restore_len += n;
}

/* async-signal-safe: only tcsetattr() and write() */
static void restore_raw(void)
{
	if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
		/* nothing more can be done from here */
	}
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
}

static void tui_signal(int sig)
{
	if (tui_on) {
		tui_on = false;
		restore_raw();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void tui_atexit(void)
{
	tui__stop();
}

static void install_hooks(void)
{
	struct sigaction sa;

	if (hooks_installed)
		return;
	hooks_installed = true;
	atexit(tui_atexit);
	kp_die_hook_set(tui_atexit);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tui_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &sa, NULL);
}

int tui__start(void)
{
	SCREEN *scr;

	if (tui_on)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return kp_error(-ENOTTY, "the interactive screen needs a terminal on stdin and "
					 "stdout: use --stdio");
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return kp_error(KP_ERR_UNSUPPORTED, "cannot start the interactive screen for "
						    "terminal type '%s': use --stdio",
				getenv("TERM") ? getenv("TERM") : "(unset)");
	set_term(scr);
	restore_len = 0;
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	tui_on = true;
	install_hooks();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	return 0;
}

void tui__stop(void)
{
	if (!tui_on)
		return;
	tui_on = false;
	curs_set(1);
	endwin();
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	fflush(stdout);
}

bool tui__active(void)
{
	return tui_on;
}

int tui__lines(void)
{
	return tui_on ? LINES : 0;
}

int tui__getkey(void)
{
	int c;

	if (!tui_on)
		return TUI_KEY_NONE;
	c = getch();
	switch (c) {
	case ERR:
		return TUI_KEY_NONE;
	case KEY_UP:
		return TUI_KEY_UP;
	case KEY_DOWN:
		return TUI_KEY_DOWN;
	case KEY_PPAGE:
		return TUI_KEY_PGUP;
	case KEY_NPAGE:
		return TUI_KEY_PGDN;
	case KEY_HOME:
		return TUI_KEY_HOME;
	case KEY_END:
		return TUI_KEY_END;
	case KEY_RESIZE:
		return TUI_KEY_RESIZE;
	default:
		return c >= 0 && c < 256 ? c : TUI_KEY_NONE;
	}
}
