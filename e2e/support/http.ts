/** The JSON body of a successful reply; anything else fails the test with the status and body. */
export async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
