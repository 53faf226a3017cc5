/**
 * @module
 * Pod volumes edgeset can run on a device (hostPath, emptyDir, configMap, secret, projected, downwardAPI). Other volume types are unknown fields.
 * Follows Kubernetes v1.32 (the version `/version` reports); descriptions are its OpenAPI v3 ones
 * (api/openapi-spec/v3 at release-1.32), so `kubectl explain` prints real documentation.
 *
 * @example
 * volumeSchemas["io.k8s.api.core.v1.Volume"].properties
 */
import type { SchemaMap } from "./json-schema.ts";

export const volumeSchemas: SchemaMap = {
  "io.k8s.api.core.v1.Volume": {
    description: "Volume represents a named volume in a pod that may be accessed by any container in the pod.",
    type: "object",
    properties: {
      configMap: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ConfigMapVolumeSource" },
        ],
        description: "configMap represents a configMap that should populate this volume",
      },
      downwardAPI: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.DownwardAPIVolumeSource" },
        ],
        description: "downwardAPI represents downward API about the pod that should populate this volume",
      },
      emptyDir: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.EmptyDirVolumeSource" },
        ],
        description: "emptyDir represents a temporary directory that shares a pod's lifetime. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir",
      },
      hostPath: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.HostPathVolumeSource" },
        ],
        description: "hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container. This is generally used for system agents or other privileged things that are allowed to see the host machine. Most containers will NOT need this. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath",
      },
      name: {
        description: "name of the volume. Must be a DNS_LABEL and unique within the pod. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      projected: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ProjectedVolumeSource" },
        ],
        description: "projected items for all in one resources secrets, configmaps, and downward API",
      },
      secret: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.SecretVolumeSource" },
        ],
        description: "secret represents a secret that should populate this volume. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret",
      },
    },
    required: ["name"],
  },
  "io.k8s.api.core.v1.HostPathVolumeSource": {
    description: "Represents a host path mapped into a pod. Host path volumes do not support ownership management or SELinux relabeling.",
    type: "object",
    properties: {
      path: {
        description: "path of the directory on the host. If the path is a symlink, it will follow the link to the real path. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath",
        type: "string",
      },
      type: {
        description: "type for HostPath Volume Defaults to \"\" More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath",
        type: "string",
      },
    },
    required: ["path"],
  },
  "io.k8s.api.core.v1.EmptyDirVolumeSource": {
    description: "Represents an empty directory for a pod. Empty directory volumes support ownership management and SELinux relabeling.",
    type: "object",
    properties: {
      medium: {
        description: "medium represents what type of storage medium should back this directory. The default is \"\" which means to use the node's default medium. Must be an empty string (default) or Memory. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir",
        type: "string",
      },
      sizeLimit: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" },
        ],
        description: "sizeLimit is the total amount of local storage required for this EmptyDir volume. The size limit is also applicable for memory medium. The maximum usage on memory medium EmptyDir would be the minimum value between the SizeLimit specified here and the sum of memory limits of all containers in a pod. The default is nil which means that the limit is undefined. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir",
      },
    },
  },
  "io.k8s.api.core.v1.ConfigMapVolumeSource": {
    description: "Adapts a ConfigMap into a volume.\n\nThe contents of the target ConfigMap's Data field will be presented in a volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. ConfigMap volumes support ownership management and SELinux relabeling.",
    type: "object",
    properties: {
      defaultMode: {
        description: "defaultMode is optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.",
        type: "integer",
        format: "int32",
      },
      items: {
        description: "items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the ConfigMap, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.KeyToPath" },
        "x-kubernetes-list-type": "atomic",
      },
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "optional specify whether the ConfigMap or its keys must be defined",
        type: "boolean",
      },
    },
  },
  "io.k8s.api.core.v1.SecretVolumeSource": {
    description: "Adapts a Secret into a volume.\n\nThe contents of the target Secret's Data field will be presented in a volume as files using the keys in the Data field as the file names. Secret volumes support ownership management and SELinux relabeling.",
    type: "object",
    properties: {
      defaultMode: {
        description: "defaultMode is Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.",
        type: "integer",
        format: "int32",
      },
      items: {
        description: "items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the Secret, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.KeyToPath" },
        "x-kubernetes-list-type": "atomic",
      },
      optional: {
        description: "optional field specify whether the Secret or its keys must be defined",
        type: "boolean",
      },
      secretName: {
        description: "secretName is the name of the secret in the pod's namespace to use. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret",
        type: "string",
      },
    },
  },
  "io.k8s.api.core.v1.ProjectedVolumeSource": {
    description: "Represents a projected volume source",
    type: "object",
    properties: {
      defaultMode: {
        description: "defaultMode are the mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.",
        type: "integer",
        format: "int32",
      },
      sources: {
        description: "sources is the list of volume projections. Each entry in this list handles one source.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.VolumeProjection" },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.VolumeProjection": {
    description: "Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.",
    type: "object",
    properties: {
      clusterTrustBundle: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ClusterTrustBundleProjection" },
        ],
        description: "ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file.\n\nAlpha, gated by the ClusterTrustBundleProjection feature gate.\n\nClusterTrustBundle objects can either be selected by name, or by the combination of signer name and a label selector.\n\nKubelet performs aggressive normalization of the PEM contents written into the pod filesystem.  Esoteric PEM features such as inter-block comments and block headers are stripped.  Certificates are deduplicated. The ordering of certificates within the file is arbitrary, and Kubelet may change the order over time.",
      },
      configMap: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ConfigMapProjection" },
        ],
        description: "configMap information about the configMap data to project",
      },
      downwardAPI: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.DownwardAPIProjection" },
        ],
        description: "downwardAPI information about the downwardAPI data to project",
      },
      podCertificate: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.PodCertificateProjection" },
        ],
        description: "Projects an auto-rotating credential bundle (private key and certificate chain) that the pod can use either as a TLS client or server.\n\nKubelet generates a private key and uses it to send a PodCertificateRequest to the named signer.  Once the signer approves the request and issues a certificate chain, Kubelet writes the key and certificate chain to the pod filesystem.  The pod does not start until certificates have been issued for each podCertificate projected volume source in its spec.\n\nKubelet will begin trying to rotate the certificate at the time indicated by the signer using the PodCertificateRequest.Status.BeginRefreshAt timestamp.\n\nKubelet can write a single file, indicated by the credentialBundlePath field, or separate files, indicated by the keyPath and certificateChainPath fields.\n\nThe credential bundle is a single file in PEM format.  The first PEM entry is the private key (in PKCS#8 format), and the remaining PEM entries are the certificate chain issued by the signer (typically, signers will return their certificate chain in leaf-to-root order).\n\nPrefer using the credential bundle format, since your application code can read it atomically.  If you use keyPath and certificateChainPath, your application must make two separate file reads. If these coincide with a certificate rotation, it is possible that the private key and leaf certificate you read may not correspond to each other.  Your application will need to check for this condition, and re-read until they are consistent.\n\nThe named signer controls chooses the format of the certificate it issues; consult the signer implementation's documentation to learn how to use the certificates it issues.",
      },
      secret: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.SecretProjection" },
        ],
        description: "secret information about the secret data to project",
      },
      serviceAccountToken: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ServiceAccountTokenProjection" },
        ],
        description: "serviceAccountToken is information about the serviceAccountToken data to project",
      },
    },
  },
  "io.k8s.api.core.v1.ConfigMapProjection": {
    description: "Adapts a ConfigMap into a projected volume.\n\nThe contents of the target ConfigMap's Data field will be presented in a projected volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. Note that this is identical to a configmap volume source without the default mode.",
    type: "object",
    properties: {
      items: {
        description: "items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the ConfigMap, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.KeyToPath" },
        "x-kubernetes-list-type": "atomic",
      },
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "optional specify whether the ConfigMap or its keys must be defined",
        type: "boolean",
      },
    },
  },
  "io.k8s.api.core.v1.SecretProjection": {
    description: "Adapts a secret into a projected volume.\n\nThe contents of the target Secret's Data field will be presented in a projected volume as files using the keys in the Data field as the file names. Note that this is identical to a secret volume source without the default mode.",
    type: "object",
    properties: {
      items: {
        description: "items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the Secret, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.KeyToPath" },
        "x-kubernetes-list-type": "atomic",
      },
      name: {
        description: "Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
        type: "string",
      },
      optional: {
        description: "optional field specify whether the Secret or its key must be defined",
        type: "boolean",
      },
    },
  },
  "io.k8s.api.core.v1.DownwardAPIProjection": {
    description: "Represents downward API info for projecting into a projected volume. Note that this is identical to a downwardAPI volume source without the default mode.",
    type: "object",
    properties: {
      items: {
        description: "Items is a list of DownwardAPIVolume file",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.DownwardAPIVolumeFile" },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.ServiceAccountTokenProjection": {
    description: "ServiceAccountTokenProjection represents a projected service account token volume. This projection can be used to insert a service account token into the pods runtime filesystem for use against APIs (Kubernetes API Server or otherwise).",
    type: "object",
    properties: {
      audience: {
        description: "audience is the intended audience of the token. A recipient of a token must identify itself with an identifier specified in the audience of the token, and otherwise should reject the token. The audience defaults to the identifier of the apiserver.",
        type: "string",
      },
      expirationSeconds: {
        description: "expirationSeconds is the requested duration of validity of the service account token. As the token approaches expiration, the kubelet volume plugin will proactively rotate the service account token. The kubelet will start trying to rotate the token if the token is older than 80 percent of its time to live or if the token is older than 24 hours.Defaults to 1 hour and must be at least 10 minutes.",
        type: "integer",
        format: "int64",
      },
      path: {
        description: "path is the path relative to the mount point of the file to project the token into.",
        type: "string",
      },
    },
    required: ["path"],
  },
  "io.k8s.api.core.v1.ClusterTrustBundleProjection": {
    description: "ClusterTrustBundleProjection describes how to select a set of ClusterTrustBundle objects and project their contents into the pod filesystem.",
    type: "object",
    properties: {
      labelSelector: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector" },
        ],
        description: "Select all ClusterTrustBundles that match this label selector.  Only has effect if signerName is set.  Mutually-exclusive with name.  If unset, interpreted as \"match nothing\".  If set but empty, interpreted as \"match everything\".",
      },
      name: {
        description: "Select a single ClusterTrustBundle by object name.  Mutually-exclusive with signerName and labelSelector.",
        type: "string",
      },
      optional: {
        description: "If true, don't block pod startup if the referenced ClusterTrustBundle(s) aren't available.  If using name, then the named ClusterTrustBundle is allowed not to exist.  If using signerName, then the combination of signerName and labelSelector is allowed to match zero ClusterTrustBundles.",
        type: "boolean",
      },
      path: {
        description: "Relative path from the volume root to write the bundle.",
        type: "string",
      },
      signerName: {
        description: "Select all ClusterTrustBundles that match this signer name. Mutually-exclusive with name.  The contents of all selected ClusterTrustBundles will be unified and deduplicated.",
        type: "string",
      },
    },
    required: ["path"],
  },
  "io.k8s.api.core.v1.PodCertificateProjection": {
    description: "PodCertificateProjection provides a private key and X.509 certificate in the pod filesystem.",
    type: "object",
    properties: {
      certificateChainPath: {
        description: "Write the certificate chain at this path in the projected volume.\n\nMost applications should use credentialBundlePath.  When using keyPath and certificateChainPath, your application needs to check that the key and leaf certificate are consistent, because it is possible to read the files mid-rotation.",
        type: "string",
      },
      credentialBundlePath: {
        description: "Write the credential bundle at this path in the projected volume.\n\nThe credential bundle is a single file that contains multiple PEM blocks. The first PEM block is a PRIVATE KEY block, containing a PKCS#8 private key.\n\nThe remaining blocks are CERTIFICATE blocks, containing the issued certificate chain from the signer (leaf and any intermediates).\n\nUsing credentialBundlePath lets your Pod's application code make a single atomic read that retrieves a consistent key and certificate chain.  If you project them to separate files, your application code will need to additionally check that the leaf certificate was issued to the key.",
        type: "string",
      },
      keyPath: {
        description: "Write the key at this path in the projected volume.\n\nMost applications should use credentialBundlePath.  When using keyPath and certificateChainPath, your application needs to check that the key and leaf certificate are consistent, because it is possible to read the files mid-rotation.",
        type: "string",
      },
      keyType: {
        description: "The type of keypair Kubelet will generate for the pod.\n\nValid values are \"RSA3072\", \"RSA4096\", \"ECDSAP256\", \"ECDSAP384\", \"ECDSAP521\", and \"ED25519\".",
        type: "string",
      },
      maxExpirationSeconds: {
        description: "maxExpirationSeconds is the maximum lifetime permitted for the certificate.  Kubelet copies this value verbatim into the PodCertificateRequests it generates for this projection.  If omitted, kube-apiserver will set it to 86400(24 hours). kube-apiserver will reject values shorter than 3600 (1 hour).  The maximum allowable value is 7862400 (91 days).  The signer implementation is then free to issue a certificate with any lifetime *shorter* than MaxExpirationSeconds, but no shorter than 3600 seconds (1 hour).  This constraint is enforced by kube-apiserver. `kubernetes.io` signers will never issue certificates with a lifetime longer than 24 hours.",
        type: "integer",
        format: "int32",
      },
      signerName: {
        description: "Kubelet's generated CSRs will be addressed to this signer.",
        type: "string",
      },
      userAnnotations: {
        description: "userAnnotations allow pod authors to pass additional information to the signer implementation.  Kubernetes does not restrict or validate this metadata in any way.  These values are copied verbatim into the `spec.unverifiedUserAnnotations` field of the PodCertificateRequest objects that Kubelet creates.  Entries are subject to the same validation as object metadata annotations, with the addition that all keys must be domain-prefixed. No restrictions are placed on values, except an overall size limitation on the entire field.  Signers should document the keys and values they support. Signers should deny requests that contain keys they do not recognize.",
        type: "object",
        additionalProperties: {
          type: "string",
        },
      },
    },
    required: ["keyType", "signerName"],
  },
  "io.k8s.api.core.v1.DownwardAPIVolumeSource": {
    description: "DownwardAPIVolumeSource represents a volume containing downward API info. Downward API volumes support ownership management and SELinux relabeling.",
    type: "object",
    properties: {
      defaultMode: {
        description: "Optional: mode bits to use on created files by default. Must be a Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.",
        type: "integer",
        format: "int32",
      },
      items: {
        description: "Items is a list of downward API volume file",
        type: "array",
        items: { $ref: "#/components/schemas/io.k8s.api.core.v1.DownwardAPIVolumeFile" },
        "x-kubernetes-list-type": "atomic",
      },
    },
  },
  "io.k8s.api.core.v1.DownwardAPIVolumeFile": {
    description: "DownwardAPIVolumeFile represents information to create the file containing the pod field",
    type: "object",
    properties: {
      fieldRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ObjectFieldSelector" },
        ],
        description: "Required: Selects a field of the pod: only annotations, labels, name, namespace and uid are supported.",
      },
      mode: {
        description: "Optional: mode bits used to set permissions on this file, must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.",
        type: "integer",
        format: "int32",
      },
      path: {
        description: "Required: Path is  the relative path name of the file to be created. Must not be absolute or contain the '..' path. Must be utf-8 encoded. The first item of the relative path must not start with '..'",
        type: "string",
      },
      resourceFieldRef: {
        allOf: [
          { $ref: "#/components/schemas/io.k8s.api.core.v1.ResourceFieldSelector" },
        ],
        description: "Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, requests.cpu and requests.memory) are currently supported.",
      },
    },
    required: ["path"],
  },
  "io.k8s.api.core.v1.KeyToPath": {
    description: "Maps a string key to a path within a volume.",
    type: "object",
    properties: {
      key: {
        description: "key is the key to project.",
        type: "string",
      },
      mode: {
        description: "mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.",
        type: "integer",
        format: "int32",
      },
      path: {
        description: "path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element '..'. May not start with the string '..'.",
        type: "string",
      },
    },
    required: ["key", "path"],
  },
};
