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
/* Iterates the default main context until @cond returns TRUE or
 * @timeout_ms elapse; returns the last result of @cond */
gboolean  derm_test_ui_wait_until  (gboolean    (*cond) (gpointer),
                                    gpointer      data,
                                    guint         timeout_ms);
/* How long a UI test waits for anything before it fails: generous (a 24 MP
 * pair aligns in a minute under ASan on a loaded machine), since it only
 * matters when the test fails anyway */
#define DERM_TEST_UI_TIMEOUT_MS 120000

/* The waits a UI test uses; none sleeps a fixed time. Each fails the test,
 * saying what it waited for, after DERM_TEST_UI_TIMEOUT_MS. */
/* Until @cond (@data) returns TRUE */
void       derm_test_ui_await           (gboolean    (*cond) (gpointer),
                                         gpointer      data,
                                         const char   *what);
/* Until nothing is left to dispatch (events, idles, due timeouts) */
void       derm_test_ui_await_idle      (void);
/* Until no GTK tooltip timer is pending; before destroying a window or
 * popover that may have started one (GTK 4.8 would then query its dead
 * surface) */
void       derm_test_ui_await_tooltips  (void);
/* Until @widget is mapped and its surface has painted one more frame */
void       derm_test_ui_await_frame     (GtkWidget    *widget);
/* Until @widget is mapped (@mapped) or unmapped */
void       derm_test_ui_await_mapped    (GtkWidget    *widget,
                                         gboolean      mapped);
/* Until the boolean property @property of @object is FALSE (a page's
 * "loading": what it reads on the store's worker is shown) */
void       derm_test_ui_await_unset     (gpointer      object,
                                         const char   *property);
/* Until @widget is visible */
void       derm_test_ui_await_visible   (GtkWidget    *widget);
/* Until a mapped toplevel of @type exists; returns it */
GtkWindow *derm_test_ui_await_toplevel  (GType         type);
/* Until the object behind @weak_pointer (g_object_add_weak_pointer) is finalized */
void       derm_test_ui_await_finalized (gpointer     *weak_pointer);

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
