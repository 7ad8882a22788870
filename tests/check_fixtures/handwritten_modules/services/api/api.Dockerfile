FROM golang:1.23@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS build
WORKDIR /src
COPY . .
RUN go build -o /api .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /api /api
USER 65532:65532
HEALTHCHECK CMD ["/api", "-healthcheck"]
ENTRYPOINT ["/api"]
