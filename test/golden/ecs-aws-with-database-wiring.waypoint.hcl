project = "billing"

app "api" {
  path = "."

  build {
    use "pack" {}

    registry {
      use "aws-ecr" {
        region     = "us-east-1"
        repository = "pilot-billing-api"
        tag        = "latest"
      }
    }
  }

  deploy {
    use "aws-ecs" {
      region             = "us-east-1"
      memory             = 4096
      cpu                = 512
      count              = 1
      service_port       = 8080
      subnets            = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
      security_group_ids = ["sg-0123456789abcdef0"]
      assign_public_ip   = true

      alb {
        subnets = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
      }
    }
  }
}
