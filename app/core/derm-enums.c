/* derm-enums.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-enums"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-enums.h"

G_DEFINE_FLAGS_TYPE (DermConcerns, derm_concerns,
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_TEXTURE, "texture"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_PORES, "pores"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_ACNE_SCARS, "acne-scars"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_FINE_LINES, "fine-lines"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_UNEVEN_TONE, "uneven-tone"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_REDNESS, "redness"),
                     G_DEFINE_ENUM_VALUE (DERM_CONCERN_DULLNESS, "dullness"))

G_DEFINE_ENUM_TYPE (DermAnswer, derm_answer,
                    G_DEFINE_ENUM_VALUE (DERM_ANSWER_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (DERM_ANSWER_NO, "no"),
                    G_DEFINE_ENUM_VALUE (DERM_ANSWER_YES, "yes"))

/* Indexed by bit position, in the order of the flags */
static const struct {
  const char *key;
  const char *label;
} concerns[DERM_N_CONCERNS] = {
  { "texture",     N_("Texture and roughness") },
  { "pores",       N_("Enlarged pores") },
  { "acne-scars",  N_("Acne scars") },
  { "fine-lines",  N_("Fine lines") },
  { "uneven-tone", N_("Uneven tone") },
  { "redness",     N_("Redness") },
  { "dullness",    N_("Dullness") },
};

static int
concern_index (DermConcerns concern)
{
  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    if (concern == (DermConcerns) (1u << i))
      return (int) i;

  return -1;
}

DermConcerns
derm_concern_nth (guint index)
{
  g_return_val_if_fail (index < DERM_N_CONCERNS, DERM_CONCERN_NONE);

  return (DermConcerns) (1u << index);
}

/**
 * derm_concern_to_key:
 * @concern: a single concern flag
 *
 * Returns: the stable key of @concern, or %NULL when @concern is not
 *   exactly one known flag
 */
const char *
derm_concern_to_key (DermConcerns concern)
{
  int i = concern_index (concern);

  return i < 0 ? NULL : concerns[i].key;
}

/**
 * derm_concern_to_label:
 * @concern: a single concern flag
 *
 * Returns: the translated label of @concern, or %NULL when @concern is
 *   not exactly one known flag
 */
const char *
derm_concern_to_label (DermConcerns concern)
{
  int i = concern_index (concern);

  return i < 0 ? NULL : _(concerns[i].label);
}

static DermConcerns
concern_from_key_len (const char *key,
                      gsize       len)
{
  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    if (strlen (concerns[i].key) == len &&
        g_ascii_strncasecmp (concerns[i].key, key, len) == 0)
      return (DermConcerns) (1u << i);

  return DERM_CONCERN_NONE;
}

DermConcerns
derm_concern_from_key (const char *key)
{
  if (key == NULL)
    return DERM_CONCERN_NONE;

  return concern_from_key_len (key, strlen (key));
}

char *
derm_concerns_to_string (DermConcerns concerns_)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    {
      if ((concerns_ & (1u << i)) == 0)
        continue;

      if (str->len > 0)
        g_string_append_c (str, ',');
      g_string_append (str, concerns[i].key);
    }

  return g_string_free (str, FALSE);
}

/**
 * derm_concerns_from_string:
 * @text: (nullable): comma-separated keys, e.g. "texture, acne-scars"
 * @out: (out): the parsed flags
 * @bad_key: (out) (optional) (transfer full): the first unknown key
 *
 * Whitespace around keys and empty items are ignored, so "" and NULL
 * parse as %DERM_CONCERN_NONE.
 *
 * Returns: %TRUE on success; %FALSE when a key is unknown, in which
 *   case @out is %DERM_CONCERN_NONE and @bad_key is set
 */
gboolean
derm_concerns_from_string (const char   *text,
                           DermConcerns *out,
                           char        **bad_key)
{
  DermConcerns result = DERM_CONCERN_NONE;
  const char *p = text;

  g_return_val_if_fail (out != NULL, FALSE);

  if (bad_key != NULL)
    *bad_key = NULL;
  *out = DERM_CONCERN_NONE;

  while (p != NULL && *p != '\0')
    {
      const char *start;
      const char *end;
      const char *next;
      DermConcerns concern;

      next = strchr (p, ',');
      end = next != NULL ? next : p + strlen (p);

      start = p;
      while (start < end && g_ascii_isspace (*start))
        start++;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;

      if (end > start)
        {
          concern = concern_from_key_len (start, end - start);
          if (concern == DERM_CONCERN_NONE)
            {
              if (bad_key != NULL)
                *bad_key = g_strndup (start, end - start);
              return FALSE;
            }
          result |= concern;
        }

      p = next != NULL ? next + 1 : NULL;
    }

  *out = result;

  return TRUE;
}

const char *
derm_answer_to_key (DermAnswer answer)
{
  switch (answer)
    {
    case DERM_ANSWER_UNKNOWN:
      return "unknown";
    case DERM_ANSWER_NO:
      return "no";
    case DERM_ANSWER_YES:
      return "yes";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
derm_answer_to_label (DermAnswer answer)
{
  switch (answer)
    {
    case DERM_ANSWER_UNKNOWN:
      return _("Not asked");
    case DERM_ANSWER_NO:
      return _("No");
    case DERM_ANSWER_YES:
      return _("Yes");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
derm_answer_from_key (const char *key,
                      DermAnswer *out)
{
  static const DermAnswer answers[] = {
    DERM_ANSWER_UNKNOWN, DERM_ANSWER_NO, DERM_ANSWER_YES,
  };

  g_return_val_if_fail (out != NULL, FALSE);

  if (key == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      if (g_ascii_strcasecmp (key, derm_answer_to_key (answers[i])) == 0)
        {
          *out = answers[i];
          return TRUE;
        }
    }

  return FALSE;
}

static const char * const roman[DERM_FITZPATRICK_MAX + 1] = {
  "", "I", "II", "III", "IV", "V", "VI",
};

const char *
derm_fitzpatrick_to_roman (guint type)
{
  g_return_val_if_fail (type <= DERM_FITZPATRICK_MAX, "");

  return roman[type];
}

gboolean
derm_fitzpatrick_from_string (const char *text,
                              guint      *out)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (text));

  if (stripped[0] >= '1' && stripped[0] <= '6' && stripped[1] == '\0')
    {
      *out = (guint) (stripped[0] - '0');
      return TRUE;
    }

  for (guint i = 1; i <= DERM_FITZPATRICK_MAX; i++)
    {
      if (g_ascii_strcasecmp (stripped, roman[i]) == 0)
        {
          *out = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char * const *
derm_zone_suggestions (void)
{
  static const char * const zones[] = {
    "forehead",
    "glabella",
    "periorbital",
    "nose",
    "left cheek",
    "right cheek",
    "perioral",
    "upper lip",
    "chin",
    "jawline",
    "neck",
    "décolleté",
    "scalp",
    "other",
    NULL
  };

  return zones;
}
