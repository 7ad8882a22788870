output "cluster_name" {
  description = "ECS cluster of the service."
  value       = module.ecs.cluster_name
}

output "service_name" {
  description = "ECS service."
  value       = module.ecs.service_name
}

output "task_family" {
  description = "Task definition family."
  value       = module.ecs.task_family
}

output "container_name" {
  description = "Container of the service in the task definition."
  value       = module.ecs.container_name
}

output "ecr_repository_url" {
  description = "ECR repository the deploy workflow pushes to."
  value       = module.ecr.repository_url
}

output "deploy_role_arn" {
  description = "Role the deploy and rollback jobs assume through GitHub OIDC."
  value       = module.ci_oidc.role_arn
}

output "service_url" {
  description = "Base URL users reach the service at: https://<domain> with service.domain, else the load balancer's address."
  value       = local.service_url
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = module.ecs.log_group_name
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.monitoring.sns_topic_arn
}

output "secret_arns" {
  description = "Secrets Manager ARN of each secret; set their values outside Terraform."
  value       = module.secrets.secret_arns
}

output "kms_key_arn" {
  description = "KMS key of the stack."
  value       = aws_kms_key.stack.arn
}

output "autoscaling" {
  description = "The scalable target's resource id and bounds; null without autoscaling."
  value = one([for scaling in module.autoscaling : {
    resource_id  = scaling.resource_id
    min_capacity = scaling.min_capacity
    max_capacity = scaling.max_capacity
  }])
}
