project = "auth"

app "auth" {
  path = "services/auth"

  build {
    use "docker" {
      dockerfile = "docker/Dockerfile.prod"
    }

    registry {
      use "docker" {
        image = "us-central1-docker.pkg.dev/acme-auth-prod/pilot-images/auth"
        tag   = "0123456789ab"
      }
    }
  }

  deploy {
    use "google-cloud-run" {
      project         = "acme-auth-prod"
      location        = "us-central1"
      port            = 8080
      unauthenticated = true

      capacity {
        memory                     = 1024
        cpu_count                  = 2
        request_timeout            = 300
        max_requests_per_container = 80
      }

      auto_scaling {
        min = 0
        max = 3
      }

      vpc_access {
        connector = "projects/acme-auth-prod/locations/us-central1/connectors/pilot-auth"
        egress    = "private-ranges-only"
      }
    }
  }

  release {
    use "google-cloud-run" {}
  }

  config {
    env = {
      LOG_LEVEL = "info"
    }
  }
}
