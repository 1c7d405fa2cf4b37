/* derm-imaging-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-imaging-error"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "derm-imaging-error.h"

/* Skips one conversion after its '%' (flags, width, precision, length,
 * conversion); sets *index to the n of "n$" minus one, or -1. Returns the
 * character after it, or NULL when it is not a conversion. */
static const char *
skip_conversion (const char *p,
                 int        *index)
{
  const char *digits = p;

  *index = -1;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '$' && p > digits)
    {
      *index = atoi (digits) - 1;
      p++;
    }
  else
    p = digits;
  while (*p != '\0' && strchr ("-+ #0", *p) != NULL)
    p++;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      ;
  while (*p == 'l' || *p == 'z' || *p == 'h')
    p++;
  if (*p == '\0' || strchr ("diuxXfgesc", *p) == NULL)
    return NULL;
  return p + 1;
}

char *
derm_imaging_error_message (const DermError *err)
{
  g_autoptr (GString) out = NULL;
  const char *translated;
  int next = 0;

  g_return_val_if_fail (err != NULL, NULL);

  if (err->format == NULL || err->format[0] == '\0')
    return g_strdup (err->message);
  translated = g_dgettext (GETTEXT_PACKAGE, err->format);
  if (translated == err->format)
    return g_strdup (err->message);

  out = g_string_new (NULL);
  for (const char *p = translated; *p != '\0';)
    {
      const char *end;
      int index;

      if (*p != '%')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (p[1] == '%')
        {
          g_string_append_c (out, '%');
          p += 2;
          continue;
        }
      end = skip_conversion (p + 1, &index);
      if (index < 0)
        index = next++;
      if (end == NULL || index >= err->n_args || index >= DERM_ERROR_MAX_ARGS)
        return g_strdup (err->message);
      /* A reason passed as %s ("the points lie on one line") is a
       * catalogue message of its own; a path or a number is not. */
      if (end[-1] == 's' && err->args[index][0] != '\0')
        g_string_append (out, g_dgettext (GETTEXT_PACKAGE, err->args[index]));
      else
        g_string_append (out, err->args[index]);
      p = end;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
