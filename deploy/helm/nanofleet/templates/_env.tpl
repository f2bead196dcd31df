{{/*
Each service's environment, from its application.properties and @ConfigMapping interfaces. Secrets are referenced
(secretKeyRef), never written into a Deployment. Argument of each: dict root, values, name.
*/}}

{{/* What every service that keeps state needs: its database, Kafka, the token issuer. */}}
{{- define "nanofleet.env.backends" -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ include "nanofleet.jdbcUrl" (dict "root" .root "database" .database) | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "nanofleet.pgSecretName" .root }}
      key: {{ include "nanofleet.pgUsernameKey" .root }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "nanofleet.pgSecretName" .root }}
      key: {{ include "nanofleet.pgPasswordKey" .root }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "nanofleet.kafkaBootstrap" .root | quote }}
{{ include "nanofleet.env.oidc" .root }}
{{- end }}

{{- define "nanofleet.env.oidc" -}}
- name: QUARKUS_OIDC_AUTH_SERVER_URL
  value: {{ include "nanofleet.oidcServerUrl" . | quote }}
{{- if ne (include "nanofleet.oidcIssuer" .) (include "nanofleet.oidcServerUrl" .) }}
# tokens are issued at the public address; the services fetch keys from the in-cluster one
- name: QUARKUS_OIDC_TOKEN_ISSUER
  value: {{ include "nanofleet.oidcIssuer" . | quote }}
{{- end }}
{{- end }}

{{- define "nanofleet.env.controlApi" -}}
{{ include "nanofleet.env.backends" (dict "root" .root "database" .root.Values.postgresql.databases.controlApi) }}
- name: NANOFLEET_CONTROL_API_KAFKA_TOPIC_REPLICATION_FACTOR
  value: {{ .root.Values.kafka.replicationFactor | quote }}
- name: NANOFLEET_CONTROL_API_KAFKA_TOPIC_PARTITIONS
  value: {{ .root.Values.kafka.partitions | quote }}
- name: NANOFLEET_CONTROL_API_SECRETS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "nanofleet.secretName" .root }}
      key: {{ .root.Values.secrets.keys.controlApiSecretsKey }}
# every replica signs log grants with the same key, so agents accept any replica's grant
- name: NANOFLEET_LOGS_SIGNING_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "nanofleet.secretName" .root }}
      key: {{ .root.Values.secrets.keys.logsSigningKey }}
- name: NANOFLEET_KEYCLOAK_ADMIN_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "nanofleet.secretName" .root }}
      key: {{ .root.Values.secrets.keys.keycloakAdminClientSecret }}
{{- with include "nanofleet.portalOrigins" . }}
- name: NANOFLEET_PORTAL_ORIGINS
  value: {{ . | quote }}
{{- end }}
{{- with .values.agentNetworks }}
- name: NANOFLEET_NODE_API_AGENT_NETWORKS
  value: {{ join "," . | quote }}
{{- end }}
{{- end }}

{{- define "nanofleet.env.scheduler" -}}
{{ include "nanofleet.env.backends" (dict "root" .root "database" .root.Values.postgresql.databases.scheduler) }}
- name: NANOFLEET_SCHEDULER_MESSAGING_TOPIC_REPLICATION_FACTOR
  value: {{ .root.Values.kafka.replicationFactor | quote }}
- name: NANOFLEET_SCHEDULER_MESSAGING_TOPIC_PARTITIONS
  value: {{ .root.Values.kafka.partitions | quote }}
{{- end }}

{{- define "nanofleet.env.tenantBilling" -}}
{{ include "nanofleet.env.backends" (dict "root" .root "database" .root.Values.postgresql.databases.tenantBilling) }}
- name: NANOFLEET_BILLING_SERVICE_MESSAGING_TOPIC_REPLICATION_FACTOR
  value: {{ .root.Values.kafka.replicationFactor | quote }}
- name: NANOFLEET_BILLING_SERVICE_MESSAGING_TOPIC_PARTITIONS
  value: {{ .root.Values.kafka.partitions | quote }}
# API tokens live in control-api: tenant-billing asks its GET /v1/me inside the cluster
- name: NANOFLEET_BILLING_CONTROL_API_URL
  value: {{ printf "http://%s:%v" (include "nanofleet.componentName" (dict "root" .root "name" "control-api")) .root.Values.controlApi.port | quote }}
{{- with include "nanofleet.portalOrigins" . }}
- name: NANOFLEET_PORTAL_ORIGINS
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{/* The portal only tells browsers where to go: public URLs. */}}
{{- define "nanofleet.env.webUi" -}}
- name: NANOFLEET_WEB_UI_API_URL
  value: {{ default (include "nanofleet.publicUrl" (dict "root" .root "key" "controlApi" "name" "control-api")) .values.apiUrl | quote }}
- name: NANOFLEET_WEB_UI_BILLING_URL
  value: {{ default (include "nanofleet.publicUrl" (dict "root" .root "key" "tenantBilling" "name" "tenant-billing")) .values.billingUrl | quote }}
- name: NANOFLEET_WEB_UI_OIDC_ISSUER
  value: {{ default (include "nanofleet.oidcIssuer" .root) .values.oidcIssuer | quote }}
{{- end }}
