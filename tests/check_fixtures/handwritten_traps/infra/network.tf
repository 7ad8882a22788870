# The VPC and subnets are shared; we only look them up.
data "aws_vpc" "shared" {
  tags = {
    Name = "shared"
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.shared.id]
  }
}

resource "aws_security_group" "service" {
  name   = "shop"
  vpc_id = data.aws_vpc.shared.id
}
