project = "ledger"

app "api" {
  path = "."

  build {
    use "pack" {}

    registry {
      use "docker" {
        image = "us-central1-docker.pkg.dev/ledger-prod/pilot-ledger/api"
        tag   = "latest"
      }
    }
  }

  deploy {
    use "google-cloud-run" {
      project         = "ledger-prod"
      location        = "us-central1"
      port            = 8080
      unauthenticated = true

      capacity {
        memory                     = 512
        cpu_count                  = 1
        request_timeout            = 300
        max_requests_per_container = 80
      }

      auto_scaling {
        min = 0
        max = 10
      }
    }
  }

  release {
    use "google-cloud-run" {}
  }
}
