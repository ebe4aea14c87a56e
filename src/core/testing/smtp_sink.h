#pragma once
/// A minimal SMTP relay on 127.0.0.1 for tests: takes every message, offers
/// neither STARTTLS nor AUTH, and keeps what it received. One client at a time.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/text.h"

namespace octopus::test_support {

class SmtpSink {
 public:
  struct Message {
    std::string from;
    std::vector<std::string> to;
    std::string data;
  };

  /// Where the relay takes its time: after the message's end (".") before
  /// accepting it, as a relay writing it to disk does (a client that goes
  /// meanwhile leaves a message the relay still keeps); or after DATA before
  /// its 354, so that a client that goes meanwhile has sent no message.
  enum class Pause { kBeforeAccepting, kBeforeData };
  /// `reply_delay`: how long the relay takes, each message, at `pause`.
  explicit SmtpSink(std::chrono::milliseconds reply_delay = std::chrono::milliseconds(0),
                    Pause pause = Pause::kBeforeAccepting)
      : reply_delay_(reply_delay), pause_(pause) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 8) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      close(fd_);
      throw std::runtime_error("bind/listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~SmtpSink() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  std::vector<Message> messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }
  /// Every command line received, as sent.
  std::vector<std::string> commands() const {
    std::lock_guard<std::mutex> lock(mu_);
    return commands_;
  }

 private:
  void Run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      timeval tv{5, 0};
      setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      Serve(c);
      close(c);
    }
  }

  static void Say(int c, const std::string& line) {
    const std::string out = line + "\r\n";
    (void)!send(c, out.data(), out.size(), MSG_NOSIGNAL);
  }

  void Serve(int c) {
    Say(c, "220 sink ESMTP");
    std::string buffer;
    auto next_line = [&](std::string& line) {
      for (;;) {
        const size_t eol = buffer.find("\r\n");
        if (eol != std::string::npos) {
          line = buffer.substr(0, eol);
          buffer.erase(0, eol + 2);
          return true;
        }
        char chunk[4096];
        const ssize_t n = recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<size_t>(n));
      }
    };
    Message current;
    for (std::string line; next_line(line);) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        commands_.push_back(line);
      }
      const std::string verb = text::ToLowerAscii(line.substr(0, 4));
      if (verb == "ehlo" || verb == "helo") {
        Say(c, "250 sink");
      } else if (verb == "mail") {
        current = Message{};
        current.from = line.substr(line.find(':') + 1);
        Say(c, "250 OK");
      } else if (verb == "rcpt") {
        current.to.push_back(line.substr(line.find(':') + 1));
        Say(c, "250 OK");
      } else if (verb == "data") {
        if (pause_ == Pause::kBeforeData) std::this_thread::sleep_for(reply_delay_);
        Say(c, "354 end with .");
        bool ended = false;
        for (std::string d; next_line(d);) {
          if (d == ".") {
            ended = true;
            break;
          }
          current.data += (d.rfind("..", 0) == 0 ? d.substr(1) : d) + "\r\n";
        }
        if (!ended) return;  // the client went before the message's end: nothing received
        if (pause_ == Pause::kBeforeAccepting) std::this_thread::sleep_for(reply_delay_);
        {
          std::lock_guard<std::mutex> lock(mu_);
          messages_.push_back(current);
        }
        Say(c, "250 queued");
      } else if (verb == "quit") {
        Say(c, "221 bye");
        return;
      } else if (verb == "rset" || verb == "noop") {
        Say(c, "250 OK");
      } else {
        Say(c, "502 5.5.1 unrecognised command");
      }
    }
  }

  const std::chrono::milliseconds reply_delay_;
  const Pause pause_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Message> messages_;
  std::vector<std::string> commands_;
};

}  // namespace octopus::test_support
