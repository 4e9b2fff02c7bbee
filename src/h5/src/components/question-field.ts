import type { ChatQuestion } from '../../../modules/questionnaire/questionnaire.schema';

/** A question as QuestionField asks it: a quiz attempt's, a survey's and an interview's all fit. */
export type FieldQuestion = ChatQuestion & { id: string };

/** An answer while it is being given: an option key (single, judge), keys (multiple), a number (scale), text; '' when none yet. */
export type QuestionValue = string | number | string[];
