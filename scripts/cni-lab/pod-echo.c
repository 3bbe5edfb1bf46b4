/* pod-echo PORT NAME: the lab pods' server. On PORT it answers every UDP datagram with "NAME\n" (to its sender)
 * and every TCP connection with "NAME\n", then closes it; so a probe learns that it reached exactly that pod, over
 * either protocol. Busybox (the image's userland) has TCP servers but no UDP one that answers; this is the
 * smallest static program that does both. Built by build-image.sh with gcc -static. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int bound(int type, int port) {
  int fd = socket(AF_INET, type, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
    perror("pod-echo: socket/bind");
    exit(1);
  }
  return fd;
}

int main(int argc, char **argv) {
  if (argc != 3 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 65535) {
    fprintf(stderr, "usage: pod-echo PORT NAME (PORT 1-65535)\n");
    return 2;
  }
  int port = atoi(argv[1]);
  char answer[256];
  int n = snprintf(answer, sizeof answer, "%s\n", argv[2]);
  if (n <= 0 || n >= (int)sizeof answer) {
    fprintf(stderr, "pod-echo: NAME is longer than 254 bytes\n");
    return 2;
  }
  int tcp = bound(SOCK_STREAM, port), udp = bound(SOCK_DGRAM, port);
  if (listen(tcp, 128) < 0) {
    perror("pod-echo: listen");
    return 1;
  }
  struct pollfd fds[2] = {{.fd = tcp, .events = POLLIN}, {.fd = udp, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[0].revents & POLLIN) {
      int c = accept(tcp, NULL, NULL);
      if (c >= 0) {
        (void)!write(c, answer, n);
        close(c);
      }
    }
    if (fds[1].revents & POLLIN) {
      char buf[2048];
      struct sockaddr_in from;
      socklen_t len = sizeof from;
      if (recvfrom(udp, buf, sizeof buf, 0, (struct sockaddr *)&from, &len) >= 0)
        sendto(udp, answer, n, 0, (struct sockaddr *)&from, len);
    }
  }
}
