/** The questionnaire engine shared by quizzes and surveys (no routes of its own: not an AppModule). */
export type { AnswerValue, ChatQuestion, Question } from './questionnaire.schema';
export { optionsOf } from './questionnaire.service';
