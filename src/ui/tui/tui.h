/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tui.h - the ncurses screen of live views (the only place kvmprof uses
 * ncurses), after htop's CRT.c discipline: whatever ends the program, the
 * terminal is given back.
 *
 * tui__start() saves the terminal state, enters curses mode (alternate
 * screen, cbreak, no echo, keypad, hidden cursor) and registers the restore
 * path everywhere it can be needed: atexit(), the xalloc die hook
 * (kp_die_hook_set), and handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT.  The handlers only use
 * async-signal-safe calls (tcsetattr() with the saved termios and write() of
 * the terminal's own leave-alternate-screen and show-cursor strings, captured
 * at start), then re-raise the signal with its default action.  Commands that
 * want SIGINT/SIGTERM as a normal "quit" block them and read a signalfd; the
 * handlers then never run for them.
 *
 * tui__stop() leaves curses mode normally (endwin); it is idempotent and is
 * what the atexit/die hooks call.
 *
 * The top screen itself (tui_top__draw) draws a struct top_snapshot made by
 * the analysis layer, with the same line builders as the --stdio output.
 */
#ifndef KP_UI_TUI_TUI_H
#define KP_UI_TUI_TUI_H

#include <stddef.h>

#include "analysis/top.h"

enum {
	TUI_KEY_NONE = -1,
	TUI_KEY_UP = 0x1000,
	TUI_KEY_DOWN,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_RESIZE,
};

/**
 * tui__start - enter curses mode on the controlling terminal (stdin/stdout).
 * Returns 0, or -ENOTTY / KP_ERR_UNSUPPORTED (with a kp_error() detail) when
 * stdin or stdout is not a terminal or the terminal type is unknown.
 */
int tui__start(void);

/** tui__stop - leave curses mode and restore the terminal; safe to call twice. */
void tui__stop(void);

/** tui__active - true between tui__start() and tui__stop(). */
bool tui__active(void);

/**
 * tui__getkey - the next pending key without waiting: a character, one of
 * TUI_KEY_*, or TUI_KEY_NONE when there is none.
 */
int tui__getkey(void);

/** tui__lines - the screen height (rows). */
int tui__lines(void);

/* the state of the top screen that survives refreshes */
struct tui_top {
	size_t selected; /* row index in the snapshot */
	size_t scroll; /* first row shown */
	size_t page; /* rows that fit, set by the last draw */
	enum top_view_mode mode;
	const char *dso; /* zoomed DSO name, or NULL */
	char dso_buf[256]; /* the zoomed name (snapshots' strings are borrowed) */
	const char *message; /* shown in the status line once, or NULL */
};

/**
 * tui_top__draw - draw @snap: headline (wrapped to the width), dashes, the
 * table with the selected row highlighted (scrolled into view), and a status
 * line naming the view, the zoom and the keys.
 */
void tui_top__draw(const struct top_snapshot *snap, struct tui_top *st);

/**
 * tui_top__move - move the selection by @delta rows (clamped to @nr_rows).
 */
void tui_top__move(struct tui_top *st, long delta, size_t nr_rows);

#endif
