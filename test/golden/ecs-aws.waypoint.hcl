project = "shop"

app "worker" {
  path = "services/worker"

  build {
    use "pack" {}

    registry {
      use "aws-ecr" {
        region     = "eu-west-1"
        repository = "pilot-shop-worker"
        tag        = "3f2a9c1d4b5e"
      }
    }
  }

  deploy {
    use "aws-ecs" {
      region       = "eu-west-1"
      memory       = 4096
      cpu          = 1024
      count        = 2
      service_port = 9000

      health_check {
        path = "/healthz"
      }
    }
  }
}
