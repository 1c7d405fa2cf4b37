/* derm-enums.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small closed vocabularies of the domain: skin concerns, Fitzpatrick
 * types, yes/no/unknown answers, facial zones. Each has a stable key
 * (stored in the database and used by the CLI and JSON) and a
 * translated label for the UI.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  DERM_CONCERN_NONE         = 0,
  DERM_CONCERN_TEXTURE      = 1 << 0,
  DERM_CONCERN_PORES        = 1 << 1,
  DERM_CONCERN_ACNE_SCARS   = 1 << 2,
  DERM_CONCERN_FINE_LINES   = 1 << 3,
  DERM_CONCERN_UNEVEN_TONE  = 1 << 4,
  DERM_CONCERN_REDNESS      = 1 << 5,
  DERM_CONCERN_DULLNESS     = 1 << 6,
} DermConcerns;

#define DERM_CONCERN_ALL ((DermConcerns) 0x7f)
#define DERM_N_CONCERNS 7

#define DERM_TYPE_CONCERNS (derm_concerns_get_type ())
GType        derm_concerns_get_type        (void) G_GNUC_CONST;

/* index is 0 .. DERM_N_CONCERNS-1, in the order of the flags above */
DermConcerns derm_concern_nth              (guint         index);
/* "texture", "pores", "acne-scars", "fine-lines", "uneven-tone", "redness", "dullness" */
const char  *derm_concern_to_key           (DermConcerns  concern);
const char  *derm_concern_to_label         (DermConcerns  concern);
/* Accepts keys; returns DERM_CONCERN_NONE for unknown keys */
DermConcerns derm_concern_from_key         (const char   *key);
/* "texture,acne-scars"; never NULL, "" for none */
char        *derm_concerns_to_string       (DermConcerns  concerns);
/* Parses a comma-separated list of keys; FALSE and *bad_key set on an unknown key */
gboolean     derm_concerns_from_string     (const char   *text,
                                            DermConcerns *out,
                                            char        **bad_key);

typedef enum
{
  DERM_ANSWER_UNKNOWN = 0,
  DERM_ANSWER_NO      = 1,
  DERM_ANSWER_YES     = 2,
} DermAnswer;

#define DERM_TYPE_ANSWER (derm_answer_get_type ())
GType        derm_answer_get_type          (void) G_GNUC_CONST;
/* "unknown", "no", "yes" */
const char  *derm_answer_to_key            (DermAnswer    answer);
const char  *derm_answer_to_label          (DermAnswer    answer);
gboolean     derm_answer_from_key          (const char   *key,
                                            DermAnswer   *out);

/* Fitzpatrick skin type: 0 means not recorded, 1..6 are types I..VI */
#define DERM_FITZPATRICK_UNSET 0
#define DERM_FITZPATRICK_MAX   6
/* "I".."VI", or "" for unset */
const char  *derm_fitzpatrick_to_roman     (guint         type);
/* Accepts "I".."VI" (any case) or "1".."6"; FALSE otherwise */
gboolean     derm_fitzpatrick_from_string  (const char   *text,
                                            guint        *out);

/* Facial zones a needle depth is set for. Free text is allowed too;
 * these are the suggestions the UI offers. NULL-terminated. */
const char * const *derm_zone_suggestions  (void);

G_END_DECLS
