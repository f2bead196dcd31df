{{/*
Names, labels and the values every service shares. The services are listed once, here: values key -> service name.
*/}}
{{- define "nanofleet.components" -}}
controlApi: control-api
scheduler: scheduler
tenantBilling: tenant-billing
webUi: web-ui
{{- end }}

{{- define "nanofleet.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nanofleet.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The name of one service's objects: <fullname>-<service>. Argument: dict root, name. */}}
{{- define "nanofleet.componentName" -}}
{{- printf "%s-%s" (include "nanofleet.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nanofleet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "nanofleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: nanofleet
{{- end }}

{{/* Argument: dict root, name. */}}
{{- define "nanofleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nanofleet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "nanofleet.componentLabels" -}}
{{ include "nanofleet.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
<registry>/<repository>@<digest> when a digest is set (the service's own, else the global one), otherwise
<registry>/<repository>:<tag> (the service's tag, else the global one, else the chart's appVersion).
Argument: dict root, values (the service's values).
*/}}
{{- define "nanofleet.image" -}}
{{- $global := .root.Values.image }}
{{- $own := .values.image }}
{{- $registry := $global.registry }}
{{- $repository := $own.repository }}
{{- $prefix := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) }}
{{- $digest := default $global.digest $own.digest }}
{{- if $digest }}
{{- printf "%s@%s" $prefix $digest }}
{{- else }}
{{- printf "%s:%s" $prefix (default .root.Chart.AppVersion (default $global.tag $own.tag)) }}
{{- end }}
{{- end }}

{{- define "nanofleet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nanofleet.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with control-api's keys: the operator's, or the one this chart makes. */}}
{{- define "nanofleet.secretName" -}}
{{- default (printf "%s-secrets" (include "nanofleet.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/* --- PostgreSQL --- */}}
{{- define "nanofleet.pgClusterName" -}}
{{- default (printf "%s-pg" (include "nanofleet.fullname" .)) .Values.postgresql.cloudnativepg.clusterName }}
{{- end }}

{{- define "nanofleet.pgHost" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" }}
{{- printf "%s-rw" (include "nanofleet.pgClusterName" .) }}
{{- else }}
{{- .Values.postgresql.external.host }}
{{- end }}
{{- end }}

{{- define "nanofleet.pgPort" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" }}5432{{ else }}{{ .Values.postgresql.external.port }}{{ end }}
{{- end }}

{{/* CloudNativePG keeps the owner's credentials in <cluster>-app (keys username, password). */}}
{{- define "nanofleet.pgSecretName" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" }}
{{- printf "%s-app" (include "nanofleet.pgClusterName" .) }}
{{- else }}
{{- .Values.postgresql.external.existingSecret }}
{{- end }}
{{- end }}

{{- define "nanofleet.pgUsernameKey" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" }}username{{ else }}{{ .Values.postgresql.external.usernameKey }}{{ end }}
{{- end }}

{{- define "nanofleet.pgPasswordKey" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" }}password{{ else }}{{ .Values.postgresql.external.passwordKey }}{{ end }}
{{- end }}

{{/* Argument: dict root, database. */}}
{{- define "nanofleet.jdbcUrl" -}}
{{- $v := .root.Values.postgresql }}
{{- $url := printf "jdbc:postgresql://%s:%s/%s" (include "nanofleet.pgHost" .root) (include "nanofleet.pgPort" .root) .database }}
{{- if and (eq $v.mode "external") $v.external.parameters }}
{{- printf "%s?%s" $url $v.external.parameters }}
{{- else }}
{{- $url }}
{{- end }}
{{- end }}

{{/* --- Kafka --- */}}
{{- define "nanofleet.kafkaClusterName" -}}
{{- default (printf "%s-kafka" (include "nanofleet.fullname" .)) .Values.kafka.strimzi.clusterName }}
{{- end }}

{{/* Strimzi's bootstrap Service is <cluster>-kafka-bootstrap; the chart's listener is "plain" on 9092. */}}
{{- define "nanofleet.kafkaBootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" }}
{{- printf "%s-kafka-bootstrap:9092" (include "nanofleet.kafkaClusterName" .) }}
{{- else }}
{{- .Values.kafka.external.bootstrapServers }}
{{- end }}
{{- end }}

{{/* The topics the services use: the event topics (events' Topics) and each consumer group's dead-letter topic. */}}
{{- define "nanofleet.kafkaTopics" -}}
- nanofleet.deployments.v1
- nanofleet.instances.v1
- nanofleet.nodes.v1
- nanofleet.usage.v1
- nanofleet.billing.v1
- nanofleet.dlq.control-api.v1
- nanofleet.dlq.scheduler.v1
- nanofleet.dlq.tenant-billing.v1
{{- end }}

{{/* --- Keycloak --- */}}
{{- define "nanofleet.keycloakName" -}}
{{- default (printf "%s-keycloak" (include "nanofleet.fullname" .)) .Values.keycloak.operator.name }}
{{- end }}

{{/* Where the services reach Keycloak; the operator's Service is <name>-service, HTTP on 8080. */}}
{{- define "nanofleet.keycloakUrl" -}}
{{- if eq .Values.keycloak.mode "operator" }}
{{- printf "http://%s-service:8080" (include "nanofleet.keycloakName" .) }}
{{- else }}
{{- .Values.keycloak.external.url | trimSuffix "/" }}
{{- end }}
{{- end }}

{{- define "nanofleet.oidcServerUrl" -}}
{{- printf "%s/realms/%s" (include "nanofleet.keycloakUrl" .) .Values.keycloak.realm }}
{{- end }}

{{/* The issuer in people's tokens: given, or the operator's public host name, else the server URL. */}}
{{- define "nanofleet.oidcIssuer" -}}
{{- if .Values.keycloak.publicIssuer }}
{{- .Values.keycloak.publicIssuer }}
{{- else if eq .Values.keycloak.mode "operator" }}
{{- printf "https://%s/realms/%s" .Values.keycloak.operator.hostname .Values.keycloak.realm }}
{{- else }}
{{- include "nanofleet.oidcServerUrl" . }}
{{- end }}
{{- end }}

{{/* --- Public URLs --- */}}
{{/* A service's public base URL from its ingress, else its in-cluster URL. Argument: dict root, key, name. */}}
{{- define "nanofleet.publicUrl" -}}
{{- $values := index .root.Values .key }}
{{- if and $values.ingress $values.ingress.enabled }}
{{- printf "%s://%s" (ternary "https" "http" (not (empty $values.ingress.tlsSecretName))) $values.ingress.host }}
{{- else }}
{{- printf "http://%s:%v" (include "nanofleet.componentName" (dict "root" .root "name" .name)) $values.port }}
{{- end }}
{{- end }}

{{/* Origins allowed to call an API from a browser: given, else web-ui's ingress host, else the service's default. */}}
{{- define "nanofleet.portalOrigins" -}}
{{- if .values.portalOrigins }}
{{- join "," .values.portalOrigins }}
{{- else if .root.Values.webUi.ingress.enabled }}
{{- include "nanofleet.publicUrl" (dict "root" .root "key" "webUi" "name" "web-ui") }}
{{- end }}
{{- end }}
