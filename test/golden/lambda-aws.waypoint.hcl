project = "jobs"

app "resize" {
  path = "."

  build {
    use "docker" {
      dockerfile = "Dockerfile"
    }

    registry {
      use "aws-ecr" {
        region     = "us-west-2"
        repository = "pilot-jobs-resize"
        tag        = "abcdef012345"
      }
    }
  }

  deploy {
    use "aws-lambda" {
      region = "us-west-2"
      memory = 2048
    }
  }

  release {
    use "lambda-function-url" {
      auth_type = "NONE"
    }
  }
}
