// Terraform reads every JSON string as a template: "${...}" and "%{...}" in the
// user-data (shell scripts are full of them) would be evaluated, or fail the plan.
// Doubling the first character makes them literal, so the VM gets the text as it was.

export function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, (_match, sign: string) => `${sign}${sign}{`);
}
