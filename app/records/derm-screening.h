/* derm-screening.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dated medical screening of a client: the contraindication checks
 * a practitioner goes through before treating.
 */
#pragma once

#include "derm-types.h"
#include "derm-enums.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_QUESTION_ACTIVE_INFECTION = 0,  /* active infection in the area (e.g. herpes, impetigo) */
  DERM_QUESTION_OPEN_WOUNDS,           /* open wounds in the area */
  DERM_QUESTION_INFLAMED_SKIN,         /* inflamed skin in the area (active acne, eczema, rosacea flare) */
  DERM_QUESTION_KELOID_HISTORY,        /* keloid or hypertrophic scarring history */
  DERM_QUESTION_DELAYED_HEALING,       /* delayed wound healing */
  DERM_QUESTION_ISOTRETINOIN,          /* oral isotretinoin; date = last dose */
  DERM_QUESTION_TOPICAL_RETINOIDS,     /* topical retinoids; date = stopped on */
  DERM_QUESTION_ANTICOAGULANTS,        /* anticoagulants or blood thinners */
  DERM_QUESTION_PREGNANCY,             /* pregnant or breastfeeding */
  DERM_QUESTION_ALLERGIES,             /* allergies, e.g. to topical anaesthetic */
  DERM_QUESTION_OTHER_MEDICATIONS,     /* other medications */
  DERM_QUESTION_CONSENT,               /* consent form signed; date = signed on */
  DERM_N_QUESTIONS
} DermQuestion;

/* Stable key ("active-infection", ...) used in the database, CLI and JSON */
const char   *derm_question_to_key          (DermQuestion   question);
gboolean      derm_question_from_key        (const char    *key,
                                             DermQuestion  *out);
/* Translated question as the form asks it */
const char   *derm_question_to_label        (DermQuestion   question);
/* TRUE for questions that carry a date (isotretinoin, retinoids, consent) */
gboolean      derm_question_has_date        (DermQuestion   question);
/* Translated label of that date ("Last dose"), NULL when it has none */
const char   *derm_question_date_label      (DermQuestion   question);

#define DERM_TYPE_SCREENING (derm_screening_get_type ())
G_DECLARE_FINAL_TYPE (DermScreening, derm_screening, DERM, SCREENING, GObject)

DermScreening *derm_screening_new           (void);
DermScreening *derm_screening_copy          (DermScreening *self);

gint64        derm_screening_get_id         (DermScreening *self);
void          derm_screening_set_id         (DermScreening *self,
                                             gint64         id);
gint64        derm_screening_get_client_id  (DermScreening *self);
void          derm_screening_set_client_id  (DermScreening *self,
                                             gint64         client_id);
/* ISO date the screening was taken */
const char   *derm_screening_get_date       (DermScreening *self);
void          derm_screening_set_date       (DermScreening *self,
                                             const char    *date);
const char   *derm_screening_get_created_at (DermScreening *self);
void          derm_screening_set_created_at (DermScreening *self,
                                             const char    *timestamp);
/* The signed consent form the consent answer points at (0: none) */
gint64        derm_screening_get_consent_form_id (DermScreening *self);
void          derm_screening_set_consent_form_id (DermScreening *self,
                                                  gint64         form_id);
/* Set by the store on a client's latest screening: why no current signed
 * consent form is on record for the protocols the client is treated
 * under (NULL when none is missing). A "yes" consent answer does not
 * lift the consent caution while it is set. */
const char   *derm_screening_get_consent_problem (DermScreening *self);
void          derm_screening_set_consent_problem (DermScreening *self,
                                                  const char    *problem);

DermAnswer    derm_screening_get_answer     (DermScreening *self,
                                             DermQuestion   question);
void          derm_screening_set_answer     (DermScreening *self,
                                             DermQuestion   question,
                                             DermAnswer     answer);
/* Free-text details of an answer ("doxycycline", "lidocaine"); NULL if none */
const char   *derm_screening_get_details    (DermScreening *self,
                                             DermQuestion   question);
void          derm_screening_set_details    (DermScreening *self,
                                             DermQuestion   question,
                                             const char    *details);
/* The question's ISO date (see derm_question_has_date()); NULL if none */
const char   *derm_screening_get_date_for   (DermScreening *self,
                                             DermQuestion   question);
void          derm_screening_set_date_for   (DermScreening *self,
                                             DermQuestion   question,
                                             const char    *date);

G_END_DECLS
