output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per availability zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per availability zone."
  value       = aws_subnet.private[*].id
}

output "availability_zones" {
  description = "Availability zones the subnets are in."
  value       = local.azs
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "service_security_group_id" {
  description = "Security group of the service's tasks."
  value       = aws_security_group.service.id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (none when nat_mode is none)."
  value       = aws_nat_gateway.this[*].id
}
