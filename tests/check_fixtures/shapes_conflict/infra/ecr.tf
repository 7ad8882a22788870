resource "aws_ecr_repository" "app" {
  name = "app"
<<<<<<< HEAD
  image_tag_mutability = "IMMUTABLE"
=======
  image_tag_mutability = "MUTABLE"
>>>>>>> feature/faster-builds

  image_scanning_configuration {
    scan_on_push = true
  }
}
