/** The API functions' Lambda timeout (API Gateway's own limit is 30 s); the local gateway gives the same. */
export const HTTP_TIMEOUT_SECONDS = 15;
