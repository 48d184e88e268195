// Version fields. YAML reads an unquoted 1.28 as a number; every supported version survives that (none
// ends in 0), and a target version is read back the same way.
import { z } from 'zod';
import { SUPPORTED_KUBERNETES_VERSIONS, SUPPORTED_MESH_VERSIONS } from '../version.ts';

function oneOfVersions<const T extends readonly [string, ...string[]]>(what: string, values: T) {
  const expected = `${what}, one of: ${values.join(', ')}`;
  return z
    .union([z.string(), z.number()], { error: expected })
    .meta({ description: expected })
    .transform((v) => String(v))
    .pipe(z.enum(values, { error: expected }));
}

export const meshVersion = () => oneOfVersions('an Istio minor version', SUPPORTED_MESH_VERSIONS);
export const kubernetesVersion = () =>
  oneOfVersions('a Kubernetes minor version', SUPPORTED_KUBERNETES_VERSIONS);

const TARGET_EXPECTED = 'an Istio minor version such as "1.29"';
/** The version an upgrade moves to: any 1.N (it may be newer than what meshsim models as installed). */
export const targetVersion = () =>
  z
    .union([z.string(), z.number()], { error: TARGET_EXPECTED })
    .meta({ description: TARGET_EXPECTED })
    .transform((v) => String(v))
    .pipe(z.string().regex(/^1\.[1-9]\d*$/, { error: TARGET_EXPECTED }));
