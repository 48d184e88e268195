/** A plan that cannot be set up as asked (an unknown instance type, a bad factor): the user's to fix. */
export class PlanInputError extends Error {}
