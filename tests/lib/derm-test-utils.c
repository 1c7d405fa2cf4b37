/* derm-test-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-test-utils"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "derm-client.h"
#include "derm-treatment.h"
#include "derm-test-utils.h"

/* --- directories ------------------------------------------------------- */

char *
derm_test_make_tmp_dir (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("dermis-%s-XXXXXX", name);
  char *path = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

void
derm_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_if_fail (path != NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      derm_test_remove_tree (child);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (path);
}

/* --- records ----------------------------------------------------------- */

gint64
derm_test_add_client (DermStore  *store,
                      const char *name)
{
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GError) error = NULL;

  derm_client_set_name (client, name);
  g_assert_true (derm_store_add_client (store, client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (derm_client_get_id (client), >, 0);
  return derm_client_get_id (client);
}

gint64
derm_test_add_session (DermStore  *store,
                       gint64      client_id,
                       const char *date)
{
  g_autoptr (DermTreatment) treatment = derm_treatment_new ();
  g_autoptr (GError) error = NULL;

  derm_treatment_set_client_id (treatment, client_id);
  derm_treatment_set_date (treatment, date);
  g_assert_true (derm_store_add_treatment (store, treatment, &error));
  g_assert_no_error (error);
  return derm_treatment_get_id (treatment);
}

/* --- dermis-cli -------------------------------------------------------- */

gboolean
derm_test_have_cli (void)
{
  const char *cli = g_getenv ("DERMIS_CLI");

  return cli != NULL && g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE);
}

int
derm_test_run_cli (const char * const  *args,
                   char               **envp,
                   char               **out,
                   char               **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  const char *cli = g_getenv ("DERMIS_CLI");
  int wait_status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &std_out, &std_err, &wait_status, &error);
  g_assert_no_error (error);

  if (out != NULL)
    *out = g_steal_pointer (&std_out);
  if (err != NULL)
    *err = g_steal_pointer (&std_err);

  if (!WIFEXITED (wait_status))
    return -1;
  return WEXITSTATUS (wait_status);
}

int
derm_test_run_cli_in (const char  *data_dir,
                      char       **out,
                      char       **err,
                      const char  *first,
                      ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, (gpointer) data_dir);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return derm_test_run_cli ((const char * const *) args->pdata, NULL, out, err);
}

void
derm_test_assert_bookable_impl (DermPlanProposal *proposal,
                                const char       *file,
                                int               line,
                                const char       *func)
{
  g_autoptr (GString) why = NULL;

  g_assert_nonnull (proposal);
  if (derm_plan_proposal_is_bookable (proposal))
    return;

  why = g_string_new ("proposal not bookable:");
  if (derm_plan_proposal_get_blocked_reason (proposal) != NULL)
    g_string_append_printf (why, " blocked (%s);", derm_plan_proposal_get_blocked_reason (proposal));
  if (derm_plan_proposal_get_n_items (proposal) == 0)
    g_string_append (why, " no items;");
  for (guint i = 0; i < derm_plan_proposal_get_n_items (proposal); i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
      g_autofree char *problems = derm_plan_problems_to_string (derm_plan_proposal_get_problems (proposal, i));
      g_autoptr (GDateTime) start = g_date_time_new_from_unix_utc (derm_appointment_get_start_unix (item));
      g_autofree char *when = g_date_time_format_iso8601 (start);

      g_string_append_printf (why, " [%u] session %u at %s: %s (%s);", i,
                              derm_appointment_get_session_index (item), when,
                              *problems != '\0' ? problems : "ok",
                              derm_plan_proposal_get_message (proposal, i));
    }
  g_assertion_message (G_LOG_DOMAIN, file, line, func, why->str);
}
