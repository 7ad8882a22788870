"""The fixed words of the Markdown plan, in the seed's Spanish and in English.

Spanish headings are the seed template's, word for word; the English ones are
their faithful translation. Task, requirement and criterion texts live in the
catalogue; these are the frame around them.
"""

from __future__ import annotations

from collections.abc import Mapping

from infraplan.catalogue import Lang

WORDS: Mapping[Lang, Mapping[str, str]] = {
    "es": {
        "title": "# 🏗️ PROMPT DE PLANIFICACIÓN DE INFRAESTRUCTURA - {title}",
        "plan_id": "**ID de Plan:**",
        "date": "**Fecha:**",
        "scope": "**Scope:**",
        "owners": "**Responsable(s):**",
        "estimate": "**Duración Estimada:**",
        "s1": "## 1. Objetivos y Contexto",
        "objective": "### Objetivo Principal",
        "context": "### Contexto del Negocio/Técnico",
        "requirements": "### Requisitos Clave",
        "s2": "## 2. Arquitectura de la Solución",
        "diagram": "### Diagrama de Arquitectura (Opcional)",
        "ascii_note": "Versión en texto del mismo diagrama:",
        "components": "### Componentes y Tecnologías",
        "flow": "### Flujo del Proceso",
        "s3": "## 3. Plan de Implementación Detallado",
        "phase": "### Fase {number}: {title}",
        "task": "Tarea",
        "files": "Archivos",
        "resources": "Recursos",
        "proof": "Verificado por",
        "s4": "## 4. Plan de Verificación y Rollback",
        "criteria": "### Criterios de Aceptación (Definition of Done)",
        "rollback": "### Estrategia de Rollback",
        "rollback_deploy": "Rollback del Despliegue",
        "rollback_infra": "Rollback de Infraestructura (IaC)",
        "s5": "## 5. Riesgos y Consideraciones",
        "risk_header": "| Riesgo | Probabilidad | Impacto | Mitigación |",
        "end": "**FIN DEL PLAN DE INFRAESTRUCTURA**",
        "c_cloud": "Proveedor Cloud",
        "c_ci": "CI/CD",
        "c_iac": "Infra como Código (IaC)",
        "c_containers": "Contenedores",
        "c_monitoring": "Monitoreo",
        "notifies": "avisa a",
        "c_secrets": "Gestión de Secretos",
        "c_environments": "Entornos",
        "c_https": "Nombre y TLS",
        "default_scope": "Infraestructura en AWS (ECS Fargate) y pipeline de CI/CD en GitHub "
        "Actions para el servicio {service}.",
        "default_objective": "Automatizar el despliegue del servicio {service} en ECS Fargate "
        "cada vez que se mergea a la rama {branch}, con la infraestructura definida como código.",
        "default_context": "Los despliegues manuales son lentos y propensos a errores; un "
        "pipeline automatizado y una infraestructura reproducible reducen el riesgo y el tiempo "
        "de entrega.",
        "rollback_deploy_auto": "El circuit breaker de ECS revierte automáticamente el servicio "
        "a la última `task definition` estable si el despliegue falla; el workflow "
        "`rollback.yml` redespliega a mano una revisión anterior elegida.",
        "rollback_deploy_manual": "Se revertirá el servicio de ECS a la `task definition` "
        "anterior estable con el workflow `rollback.yml`.",
        "rollback_infra_default": "Se ejecutarán los comandos `terraform plan` y `terraform "
        "apply` sobre el commit anterior de la configuración de Terraform.",
        "level_low_f": "Baja",
        "level_medium_f": "Media",
        "level_high_f": "Alta",
        "level_low_m": "Bajo",
        "level_medium_m": "Medio",
        "level_high_m": "Alto",
        "flow_1": "Un desarrollador hace push a una rama de feature y abre un Pull Request.",
        "flow_2": "El workflow de CI corre linters, tests unitarios y construye la imagen de "
        "Docker; Terraform ejecuta `fmt`, `validate` y `plan`.",
        "flow_preview": "Al crear un Pull Request, se despliega a un entorno de preview.",
        "flow_3": "Al mergear a `{branch}`, se construye la imagen, se etiqueta con el SHA del "
        "commit y se sube a ECR usando credenciales de GitHub OIDC.",
        "flow_4": "Se despliega la nueva `task definition` en ECS Fargate en {environments}, "
        "en ese orden.",
        "flow_approval": "El despliegue a {env} espera la aprobación de un revisor.",
        "flow_5": "ECS (el health check del contenedor en la task definition) y el ALB "
        "comprueban la salud del servicio en `{path}`; si el despliegue falla, el circuit "
        "breaker de ECS hace rollback.",
        "flow_6": "CloudWatch alerta por CPU, memoria, errores 5xx, targets no sanos y tareas "
        "caídas, y notifica al equipo.",
        "notify_risk": "Las alarmas y el presupuesto no avisan a nadie",
        "notify_mitigation": "Añadir destinatarios en `monitoring` de plan.yaml: "
        "`notify_emails`, `notify_topic_arns` (temas SNS existentes) o `slack` (Amazon Q "
        "Developer in chat applications).",
        "user_task": "(añadida)",
        "default_owners": "Equipo de plataforma",
        "default_estimate": "3 días",
        "skips_risk": "Comprobaciones de checkov omitidas a propósito ({count}, listadas bajo "
        "la tabla)",
        "skips_mitigation": "Cada omisión lleva su motivo junto al recurso en el Terraform; "
        "revisarlas antes de producción.",
        "skips_heading": "Comprobaciones de checkov omitidas:",
        "skip_item": "{check} en {resource}",
        "not_applicable": "(no aplica: {reason})",
        "cost_estimate": "Estimación: {total}/mes para {count} entorno(s), ver {command}.",
        "cost_approximate": "Aproximada: infraplan no trae precios de {region} (ver "
        "`infraplan cost --live-prices`).",
        "cost_unknown": "Sin estimación de costo: no hay precios para {region} (ver "
        "`infraplan cost --live-prices`).",
        "cost_risk": "La estimación ({total}/mes) supera el presupuesto R4 ({budget}/mes)",
        "cost_mitigation": "`infraplan cost` lista los cambios que la dejan dentro de R4, con "
        "su ahorro, del más barato al más caro (NAT, zonas, Fargate Spot, tamaño de tarea, "
        "dashboard), o un presupuesto mayor.",
    },
    "en": {
        "title": "# 🏗️ INFRASTRUCTURE PLANNING PROMPT - {title}",
        "plan_id": "**Plan ID:**",
        "date": "**Date:**",
        "scope": "**Scope:**",
        "owners": "**Owner(s):**",
        "estimate": "**Estimated Duration:**",
        "s1": "## 1. Objectives and Context",
        "objective": "### Main Objective",
        "context": "### Business/Technical Context",
        "requirements": "### Key Requirements",
        "s2": "## 2. Solution Architecture",
        "diagram": "### Architecture Diagram (Optional)",
        "ascii_note": "Text version of the same diagram:",
        "components": "### Components and Technologies",
        "flow": "### Process Flow",
        "s3": "## 3. Detailed Implementation Plan",
        "phase": "### Phase {number}: {title}",
        "task": "Task",
        "files": "Files",
        "resources": "Resources",
        "proof": "Verified by",
        "s4": "## 4. Verification and Rollback Plan",
        "criteria": "### Acceptance Criteria (Definition of Done)",
        "rollback": "### Rollback Strategy",
        "rollback_deploy": "Deployment Rollback",
        "rollback_infra": "Infrastructure Rollback (IaC)",
        "s5": "## 5. Risks and Considerations",
        "risk_header": "| Risk | Probability | Impact | Mitigation |",
        "end": "**END OF INFRASTRUCTURE PLAN**",
        "c_cloud": "Cloud Provider",
        "c_ci": "CI/CD",
        "c_iac": "Infrastructure as Code (IaC)",
        "c_containers": "Containers",
        "c_monitoring": "Monitoring",
        "notifies": "notifies",
        "c_secrets": "Secrets Management",
        "c_environments": "Environments",
        "c_https": "Name and TLS",
        "default_scope": "AWS infrastructure (ECS Fargate) and a GitHub Actions CI/CD pipeline "
        "for the {service} service.",
        "default_objective": "Deploy the {service} service to ECS Fargate automatically on "
        "every merge to the {branch} branch, with the infrastructure defined as code.",
        "default_context": "Manual deployments are slow and error-prone; an automated pipeline "
        "and reproducible infrastructure cut both the risk and the lead time.",
        "rollback_deploy_auto": "The ECS deployment circuit breaker rolls the service back to "
        "the last stable `task definition` automatically when a deployment fails; the "
        "`rollback.yml` workflow redeploys a chosen earlier revision by hand.",
        "rollback_deploy_manual": "The ECS service is reverted to the previous stable `task "
        "definition` with the `rollback.yml` workflow.",
        "rollback_infra_default": "Run `terraform plan` and `terraform apply` on the previous "
        "commit of the Terraform configuration.",
        "level_low_f": "Low",
        "level_medium_f": "Medium",
        "level_high_f": "High",
        "level_low_m": "Low",
        "level_medium_m": "Medium",
        "level_high_m": "High",
        "flow_1": "A developer pushes to a feature branch and opens a pull request.",
        "flow_2": "The CI workflow runs linters and unit tests and builds the Docker image; "
        "Terraform runs `fmt`, `validate` and `plan`.",
        "flow_preview": "Opening a pull request deploys a preview environment.",
        "flow_3": "On merge to `{branch}`, the image is built, tagged with the commit SHA and "
        "pushed to ECR with GitHub OIDC credentials.",
        "flow_4": "The new `task definition` is deployed to ECS Fargate in {environments}, in "
        "that order.",
        "flow_approval": "The deployment to {env} waits for a reviewer's approval.",
        "flow_5": "ECS (the container health check of the task definition) and the ALB "
        "health-check the service on `{path}`; if the deployment fails, the ECS circuit "
        "breaker rolls it back.",
        "flow_6": "CloudWatch alarms on CPU, memory, 5xx errors, unhealthy targets and "
        "missing tasks notify the team.",
        "notify_risk": "Alarms and the budget notify nobody",
        "notify_mitigation": "Add recipients under `monitoring` in plan.yaml: `notify_emails`, "
        "`notify_topic_arns` (existing SNS topics) or `slack` (Amazon Q Developer in chat "
        "applications).",
        "user_task": "(added)",
        "default_owners": "Platform team",
        "default_estimate": "3 days",
        "skips_risk": "checkov checks deliberately skipped ({count}, listed under the table)",
        "skips_mitigation": "Each skip carries its reason beside the resource in the Terraform; "
        "review them before production.",
        "skips_heading": "checkov checks skipped:",
        "skip_item": "{check} on {resource}",
        "not_applicable": "(not applicable: {reason})",
        "cost_estimate": "Estimate: {total}/month for {count} environment(s), see {command}.",
        "cost_approximate": "Approximate: infraplan ships no prices for {region} (see "
        "`infraplan cost --live-prices`).",
        "cost_unknown": "No cost estimate: no prices for {region} (see "
        "`infraplan cost --live-prices`).",
        "cost_risk": "The estimate ({total}/month) is over the R4 budget ({budget}/month)",
        "cost_mitigation": "`infraplan cost` lists the changes that bring it within R4, with "
        "their savings, cheapest first (NAT, zones, Fargate Spot, task size, dashboard), or a "
        "larger budget.",
    },
}

# The labels of the architecture diagram (Mermaid and its text version).
DIAGRAM_WORDS: Mapping[Lang, Mapping[str, str]] = {
    "es": {
        "dev": "Desarrollador",
        "users": "Usuarios",
        "role": "Rol de despliegue",
        "azs": "AZ",
        "deploy": "despliegue",
        "public_subnets": "{count} subnets públicas",
        "public": "públicas",
        "private": "privadas",
        "alarms": "alarmas",
        "dashboard": "dashboard",
    },
    "en": {
        "dev": "Developer",
        "users": "Users",
        "role": "Deploy role",
        "azs": "AZs",
        "deploy": "deploy",
        "public_subnets": "{count} public subnets",
        "public": "public",
        "private": "private",
        "alarms": "alarms",
        "dashboard": "dashboard",
    },
}

# The seed's three risks, used when the spec lists none.
DEFAULT_RISKS: Mapping[Lang, tuple[tuple[str, str, str, str], ...]] = {
    "es": (
        (
            "Downtime durante el primer despliegue",
            "medium",
            "high",
            "Implementar una estrategia de despliegue Blue/Green para una transición sin "
            "interrupciones.",
        ),
        (
            "Costos inesperados en la nube",
            "low",
            "medium",
            "Configurar alertas de presupuesto (Billing Alerts) en AWS para notificar si los "
            "costos superan el umbral.",
        ),
        (
            'Pipeline "flaky" o inestable',
            "medium",
            "medium",
            "Realizar múltiples ejecuciones de prueba del pipeline antes de hacerlo mandatorio "
            "para los desarrolladores.",
        ),
    ),
    "en": (
        (
            "Downtime during the first deployment",
            "medium",
            "high",
            "Use a Blue/Green deployment strategy for a seamless transition.",
        ),
        (
            "Unexpected cloud costs",
            "low",
            "medium",
            "Set up AWS budget alerts (Billing Alerts) to notify when costs pass the threshold.",
        ),
        (
            "Flaky or unstable pipeline",
            "medium",
            "medium",
            "Run the pipeline several times as a trial before making it mandatory for developers.",
        ),
    ),
}
