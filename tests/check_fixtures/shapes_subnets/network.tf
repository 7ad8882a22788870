data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "zone" {
  for_each          = toset(["eu-west-1a", "eu-west-1b", "eu-west-1c"])
  vpc_id            = aws_vpc.main.id
  availability_zone = each.value
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, index(["eu-west-1a", "eu-west-1b", "eu-west-1c"], each.value))
}
