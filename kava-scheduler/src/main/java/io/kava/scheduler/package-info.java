/**
 * kava's scheduler: upstream's scheduling framework in Java, as an API client.
 *
 * <ul>
 *   <li>{@link io.kava.scheduler.KavaScheduler}: the running component (informers, leader election on
 *       {@code kube-system/kava-scheduler}, the scheduling loop); {@code kava server} always starts one;</li>
 *   <li>{@link io.kava.scheduler.Scheduler}: the algorithm, one pod per cycle (filter, score, assume, bind);</li>
 *   <li>{@link io.kava.scheduler.framework}: extension points, {@code Status}, {@code CycleState},
 *       {@code NodeInfo}/{@code PodInfo}, the snapshot, the failure message ({@code Diagnosis});</li>
 *   <li>{@link io.kava.scheduler.plugins}: the in-tree plugins and upstream's default profile;</li>
 *   <li>{@link io.kava.scheduler.queue}: activeQ / backoffQ / unschedulable pods;</li>
 *   <li>{@link io.kava.scheduler.cache}: node infos kept from informer events, with assumed pods.</li>
 * </ul>
 *
 * Pods with spec.schedulerName "default-scheduler" (or none) are scheduled; others are left to their scheduler.
 */
package io.kava.scheduler;
