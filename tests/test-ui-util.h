/* test-ui-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared helpers for the UI tests: set-up under Xvfb, waiting on the
 * main context, screenshots and throw-away data directories.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* g_test_init + gtk_init + adw_init; turns animations off; creates
 * $DERMIS_SCREENSHOT_DIR */
void      derm_test_ui_init        (int          *argc,
                                    char       ***argv);
/* Iterates the default main context for @ms milliseconds */
void      derm_test_ui_wait        (guint         ms);
/* Iterates the default main context until @cond returns TRUE or
 * @timeout_ms elapse; returns the last result of @cond */
gboolean  derm_test_ui_wait_until  (gboolean    (*cond) (gpointer),
                                    gpointer      data,
                                    guint         timeout_ms);
/* Renders @widget with its native's renderer and saves it as
 * $DERMIS_SCREENSHOT_DIR/@name.png (or the current directory when unset) */
gboolean  derm_test_ui_screenshot  (GtkWidget    *widget,
                                    const char   *name);
/* The visible AdwMessageDialog, or NULL */
GtkWindow *derm_test_ui_find_question (void);
/* Waits up to @timeout_ms for a visible AdwMessageDialog, answers it
 * with @response as a click on that button would, and returns TRUE;
 * FALSE when no question came */
gboolean  derm_test_ui_answer_question (const char *response,
                                        guint       timeout_ms);
/* A new empty directory under the temporary directory */
char     *derm_test_make_data_dir  (void);
/* Removes @path and everything below it */
void      derm_test_remove_dir     (const char   *path);

G_END_DECLS
