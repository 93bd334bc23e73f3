/** The melody model Cantus ships, in resources/models/<id>/ (an id that ends up in saved files: never change it). */
export const DEFAULT_MODEL_ID = 'folk-rnn-2x256';
